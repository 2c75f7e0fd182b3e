// Declared character sets and their decoding to UTF-8 (see charset.hpp).
#include "corpus/text/charset.hpp"

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <utility>

#include <iconv.h>

#include "corpus/base/ascii.hpp"
#include "corpus/base/utf8.hpp"
#include "corpus/text/normalize.hpp"

namespace trawl::corpus {
namespace {

constexpr auto npos = std::string_view::npos;

// The HTML standard's white space (no \v).
bool is_html_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && is_html_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_html_space(s.back())) s.remove_suffix(1);
    return s;
}

std::size_t skip_spaces(std::string_view s, std::size_t i) {
    while (i < s.size() && is_html_space(s[i])) ++i;
    return i;
}

// `<?xml version="1.0" encoding="koi8-r"?>` at the start of `head`.
std::optional<CharsetDeclaration> xml_declaration(std::string_view head) {
    const std::size_t start = skip_spaces(head, 0);
    if (!head.substr(start).starts_with("<?xml") || start + 5 >= head.size() || !is_html_space(head[start + 5]))
        return std::nullopt;
    const std::size_t end = head.find("?>", start);
    if (end == npos) return std::nullopt;
    const std::string_view decl = head.substr(0, end);
    const std::size_t at = decl.find("encoding", start);
    if (at == npos) return std::nullopt;
    std::size_t i = skip_spaces(decl, at + 8);
    if (i >= decl.size() || decl[i] != '=') return std::nullopt;
    i = skip_spaces(decl, i + 1);
    if (i >= decl.size() || (decl[i] != '"' && decl[i] != '\'')) return std::nullopt;
    const std::size_t close = decl.find(decl[i], i + 1);
    if (close == npos) return std::nullopt;
    const std::string_view label = trimmed(decl.substr(i + 1, close - i - 1));
    if (label.empty()) return std::nullopt;
    return CharsetDeclaration{std::string(label), line_number_at(head, at)};
}

// The charset in a Content-Type value ("text/html; charset=windows-1251"),
// as the HTML standard extracts it; empty when there is none.
std::string_view charset_in_content_type(std::string_view content) {
    for (std::size_t at = 0; at < content.size(); ++at) {
        if (!ascii_iequals_at(content, at, "charset")) continue;
        std::size_t i = skip_spaces(content, at + 7);
        if (i >= content.size() || content[i] != '=') continue;
        i = skip_spaces(content, i + 1);
        if (i >= content.size()) return {};
        if (content[i] == '"' || content[i] == '\'') {
            const std::size_t close = content.find(content[i], i + 1);
            return close == npos ? std::string_view() : content.substr(i + 1, close - i - 1);
        }
        std::size_t end = i;
        while (end < content.size() && !is_html_space(content[end]) && content[end] != ';') ++end;
        return content.substr(i, end - i);
    }
    return {};
}

// One attribute of a tag at s[i] (after white space and slashes): its
// lower-case name and its value; `i` moves past it. False at the tag's end
// ('>', i then on it) or at the end of `s`.
bool next_attribute(std::string_view s, std::size_t& i, std::string& name, std::string& value) {
    while (i < s.size() && (is_html_space(s[i]) || s[i] == '/')) ++i;
    if (i >= s.size() || s[i] == '>') return false;
    name.clear();
    value.clear();
    while (i < s.size() && !is_html_space(s[i]) && s[i] != '=' && s[i] != '>' && s[i] != '/')
        name += ascii_lower(s[i++]);
    i = skip_spaces(s, i);
    if (i >= s.size() || s[i] != '=') return true;
    i = skip_spaces(s, i + 1);
    if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
        const std::size_t close = s.find(s[i], i + 1);
        if (close == npos) return false;  // cut off by the end of the prescan
        value.assign(s.substr(i + 1, close - i - 1));
        i = close + 1;
    } else {
        while (i < s.size() && !is_html_space(s[i]) && s[i] != '>') value += s[i++];
    }
    return true;
}

// The HTML standard's prescan, simplified: the first <meta> outside a
// comment with a charset attribute, or http-equiv="Content-Type" and a
// content naming a charset.
std::optional<CharsetDeclaration> meta_declaration(std::string_view head) {
    const std::string_view s = head.substr(0, kCharsetPrescanBytes);
    for (std::size_t i = s.find('<'); i != npos; i = s.find('<', i)) {
        if (s.substr(i).starts_with("<!--")) {
            const std::size_t end = s.find("-->", i + 4);
            if (end == npos) return std::nullopt;
            i = end + 3;
            continue;
        }
        if (!ascii_iequals_at(s, i + 1, "meta") || i + 5 >= s.size() || (!is_html_space(s[i + 5]) && s[i + 5] != '/')) {
            ++i;
            continue;
        }
        const std::size_t tag = i;
        i += 5;
        std::string name, value, charset, content;
        bool content_type = false;
        while (next_attribute(s, i, name, value)) {
            if (name == "charset" && charset.empty()) charset = trimmed(value);
            if (name == "http-equiv") content_type = ascii_iequals(trimmed(value), "content-type");
            if (name == "content") content = value;
        }
        if (i >= s.size()) return std::nullopt;  // the tag runs past the prescan
        if (charset.empty() && content_type) charset = trimmed(charset_in_content_type(content));
        if (!charset.empty()) return CharsetDeclaration{charset, line_number_at(s, tag)};
    }
    return std::nullopt;
}

// The HTML standard's labels that name something other than what iconv
// would take them for, or what Trawl already reads (encoding.spec.whatwg.org):
// each row is the iconv name (empty: Trawl's own detection) and its labels.
constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
    // UTF-8, and UTF-16 (a page whose declaration reads as ASCII is not UTF-16).
    {"",
     " utf-8 utf8 unicode-1-1-utf-8 unicode11utf8 unicode20utf8 x-unicode20utf8 utf-16 utf-16le utf-16be "
     "unicode unicodefeff unicodefffe ucs-2 csunicode iso-10646-ucs-2 "},
    // windows-1252, which ascii and latin1 mean on the web: Trawl's fallback
    // (resolved as Charset::Windows1252, not decoded: see resolve_charset()).
    {"WINDOWS-1252",
     " windows-1252 cp1252 x-cp1252 iso-8859-1 iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 latin1 l1 "
     "us-ascii ascii ansi_x3.4-1968 cp819 ibm819 csisolatin1 iso-ir-100 x-user-defined "},
    // Supersets the web decodes for the names of their subsets (glibc's
    // SHIFT_JIS turns a backslash into a yen sign; Windows' does not).
    {"CP932", " shift_jis shift-jis sjis x-sjis ms_kanji ms932 windows-31j csshiftjis "},
    {"CP949", " euc-kr ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 windows-949 cseuckr "},
    {"GB18030", " gb2312 gbk x-gbk cp936 windows-936 csgb2312 gb_2312-80 "},
    {"BIG5-HKSCS", " big5 cn-big5 csbig5 x-x-big5 "},
    {"WINDOWS-1254", " iso-8859-9 iso8859-9 latin5 l5 "},
    {"WINDOWS-874", " tis-620 iso-8859-11 dos-874 "},
    {"ISO-8859-8", " iso-8859-8-i "},
    {"KOI8-U", " koi8-ru "},
};

bool label_char(char c) {
    return is_ascii_lower(c) || is_ascii_digit(c) || c == '-' || c == '_' || c == '.' || c == ':';
}

}  // namespace

std::optional<CharsetDeclaration> find_charset_declaration(std::string_view head, CharsetDeclarations kind) {
    if (kind == CharsetDeclarations::None) return std::nullopt;
    if (auto xml = xml_declaration(head)) return xml;
    if (kind == CharsetDeclarations::Html) return meta_declaration(head);
    return std::nullopt;
}

struct CharsetDecoder::Handle {
    iconv_t cd;
};

Charset resolve_charset(std::string_view label) {
    std::string name;
    for (char c : trimmed(label)) name += ascii_lower(c);
    for (const auto& [iconv_name, labels] : kAliases) {
        if (name.empty() || labels.find(" " + name + " ") == std::string_view::npos) continue;
        if (iconv_name.empty()) return {Charset::Detected, ""};
        // Not decoded wholesale: a page declared so whose text is UTF-8 but
        // for a stray byte read run by run keeps its UTF-8 (repair_utf8).
        if (iconv_name == "WINDOWS-1252") return {Charset::Windows1252, ""};
        name = iconv_name;
        break;
    }
    // No iconv suffixes ("//TRANSLIT") nor anything else that is not a name.
    const bool plausible = !name.empty() && name.size() <= 40 &&
                           std::all_of(name.begin(), name.end(), [](char c) { return label_char(ascii_lower(c)); });
    if (!plausible) return {Charset::Unknown, ""};
    const iconv_t cd = ::iconv_open("UTF-8", name.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) return {Charset::Unknown, ""};
    // The declaration was read as ASCII: a charset in which ASCII is not
    // itself (UTF-32, EBCDIC) cannot be what the file is in.
    std::string probe = "<meta charset=\"x\">\n\tAZaz09;";
    std::string out(probe.size() * 4, '\0');
    char* in = probe.data();
    char* o = out.data();
    std::size_t in_left = probe.size(), out_left = out.size();
    const std::size_t r = ::iconv(cd, &in, &in_left, &o, &out_left);
    ::iconv_close(cd);
    out.resize(out.size() - out_left);
    if (r == static_cast<std::size_t>(-1) || out != probe) return {Charset::Unknown, ""};
    return {Charset::Decoded, name};
}

CharsetDecoder::CharsetDecoder(const std::string& iconv_name) : cd_(std::make_unique<Handle>()) {
    cd_->cd = ::iconv_open("UTF-8", iconv_name.c_str());
    if (cd_->cd == reinterpret_cast<iconv_t>(-1)) throw std::runtime_error("iconv cannot convert from " + iconv_name);
}

CharsetDecoder::~CharsetDecoder() { ::iconv_close(cd_->cd); }

void CharsetDecoder::decode(std::string_view in, std::string& out) {
    if (mode_ == Mode::Passthrough) {
        out.append(in);
    } else if (mode_ == Mode::Convert) {
        convert(in, out, false);
    } else {
        std::string data = std::move(pending_);
        pending_.clear();
        data.append(in);
        decide(data, out);
    }
}

// Until the first non-ASCII byte, every charset here reads ASCII as ASCII
// (7-bit ones such as ISO-2022-JP go through iconv for their escapes).
// From it, enough text tells UTF-8 from the declared charset: legacy text
// with a few non-ASCII letters is almost never valid UTF-8.
void CharsetDecoder::decide(std::string_view data, std::string& out) {
    constexpr std::size_t kEnough = 64;  // bytes from the first non-ASCII one to judge by
    const auto* first = std::find_if(data.begin(), data.end(), [](char c) { return (c & 0x80) != 0; });
    const auto p = static_cast<std::size_t>(first - data.begin());
    if (p == data.size()) return convert(data, out, false);
    const std::string_view rest = data.substr(p);
    if (rest.size() < kEnough) {  // wait for more (finish() decides on what there is)
        convert(data.substr(0, p), out, false);
        pending_.assign(rest);
        return;
    }
    std::size_t i = 0;
    while (i < rest.size()) {
        const std::size_t len = utf8_sequence_length(rest, i);
        if (len == 0) break;
        i += len;
    }
    const bool utf8 = i + 4 > rest.size();  // valid to the end, but for a character cut off there
    mode_ = utf8 ? Mode::Passthrough : Mode::Convert;
    passthrough_ = utf8;
    if (utf8) out.append(data);
    else convert(data, out, false);
}

void CharsetDecoder::finish(std::string& out) {
    if (mode_ == Mode::Undecided && !pending_.empty()) {
        const std::string rest = std::move(pending_);
        pending_.clear();
        mode_ = is_valid_utf8(rest) ? Mode::Passthrough : Mode::Convert;
        passthrough_ = mode_ == Mode::Passthrough;
        if (passthrough_) out.append(rest);
        else convert(rest, out, false);
    }
    if (mode_ != Mode::Passthrough) convert({}, out, true);
}

void CharsetDecoder::convert(std::string_view in, std::string& out, bool final) {
    std::string joined;  // a character split across calls, completed
    if (!pending_.empty()) {
        joined = std::move(pending_);
        pending_.clear();
        joined.append(in);
        in = joined;
    }
    char* src = const_cast<char*>(in.data());  // iconv's signature; it does not write there
    std::size_t left = in.size();
    auto replace = [&] {
        append_utf8(out, 0xFFFD);
        if (replaced_++ == 0) first_replaced_line_ = lines_.line();
        ++src;
        --left;
    };
    while (left > 0) {
        const std::size_t old = out.size();
        out.resize(old + left * 3 + 16);  // 3 bytes of UTF-8 per input byte is the most but for rare cases (E2BIG)
        char* dst = out.data() + old;
        std::size_t room = out.size() - old;
        const std::size_t r = ::iconv(cd_->cd, &src, &left, &dst, &room);
        const int err = errno;
        const std::size_t produced = static_cast<std::size_t>(dst - (out.data() + old));
        out.resize(old + produced);
        lines_.add(std::string_view(out).substr(old));
        if (r != static_cast<std::size_t>(-1)) break;
        if (err == E2BIG) continue;
        if (err == EINVAL && !final) {  // a character cut off at the end of this piece
            pending_.assign(src, left);
            return;
        }
        replace();  // EILSEQ: not in the charset; EINVAL at the end: a character cut off for good
    }
    if (final) {
        char* dst = nullptr;  // back to the initial shift state (nothing to write for UTF-8)
        ::iconv(cd_->cd, nullptr, nullptr, &dst, nullptr);
    }
}

void Windows1252Decoder::convert(std::string_view in, std::string& out, bool final) {
    std::string joined;  // a sequence cut off by the last piece, and this one
    if (!pending_.empty()) {
        joined = std::move(pending_);
        pending_.clear();
        joined.append(in);
        in = joined;
    }
    out.reserve(out.size() + in.size() + in.size() / 2);
    std::size_t copied = 0;  // in[copied..i) is to be copied as it is
    std::size_t i = 0;
    while (i < in.size()) {
        const auto b = static_cast<unsigned char>(in[i]);
        if (b < 0x80) {
            ++i;
        } else if (const std::size_t len = utf8_sequence_length(in, i)) {
            i += len;
        } else if (!final && utf8_sequence_cut_off(in, i)) {
            break;  // its rest comes with the next piece
        } else {
            out.append(in.substr(copied, i - copied));
            const char32_t cp = windows_1252_code_point(b);
            if (cp == 0xFFFD && replaced_++ == 0) {
                lines_.add(in.substr(0, i));
                first_replaced_line_ = lines_.line();
            }
            append_utf8(out, cp);
            copied = ++i;
        }
    }
    out.append(in.substr(copied, i - copied));
    if (replaced_ == 0) lines_.add(in.substr(0, i));  // (only the first replacement's line is wanted)
    pending_.assign(in.substr(i));
}

}  // namespace trawl::corpus
