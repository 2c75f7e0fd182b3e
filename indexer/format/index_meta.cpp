#include "indexer/format/index_meta.hpp"

#include "corpus/base/error.hpp"
#include "corpus/text/normalize.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/format/schema.hpp"

namespace trawl::format {

void check_format(const Xapian::Database& db, const std::string& path) {
    auto stamp = db.get_metadata(std::string(kMetaFormatVersion));
    if (stamp.empty()) {
        if (db.get_doccount() == 0) return;  // new, empty database
        throw IndexFormatError(path + ": not a Trawl index (no format version in its metadata)");
    }
    // Digits only: std::stoi would read "2junk" as 2 and accept a damaged stamp.
    const bool digits = stamp.size() <= 9 && stamp.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) throw IndexFormatError(damaged_message(path, "unreadable format version '" + printable(stamp) + "'"));
    const int found = std::stoi(stamp);
    if (found != kFormatVersion)
        throw IndexFormatError(path + ": index format v" + std::to_string(found) + ", this trawl reads v" +
                               std::to_string(kFormatVersion) + " — re-index");
}

std::string damaged_message(const std::string& path, const std::string& why) {
    const bool remote = path.starts_with("tcp://");
    return path + ": index damaged (" + why + "); run xapian-check " +
           (remote ? "on the database " + path + " serves" : path);
}

std::string printable(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < bytes.size();) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        const std::size_t len = c < 0x80 ? 1 : corpus::utf8_sequence_length(bytes, i);
        // Printable ASCII, and UTF-8 characters other than the C1 controls (U+0080..U+009F).
        const bool keep = len == 1 ? c >= 0x20 && c < 0x7F && c != '\\'
                                   : len > 1 && !(c == 0xC2 && static_cast<unsigned char>(bytes[i + 1]) < 0xA0);
        if (keep) {
            out.append(bytes.substr(i, len));
            i += len;
            continue;
        }
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 15];
        ++i;
    }
    return out;
}

void stamp_format(Xapian::WritableDatabase& db) {
    db.set_metadata(std::string(kMetaFormatVersion), std::to_string(kFormatVersion));
    db.set_metadata(std::string(kMetaLanguage), kLanguage);
}

std::string read_dictionary(const Xapian::Database& db) { return db.get_metadata(std::string(kMetaDictionary)); }

}  // namespace trawl::format
