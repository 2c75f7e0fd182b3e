// Comments, processing instructions and DOCTYPEs passed over to their end.
#include "corpus/read/markup_scanner.hpp"

#include "corpus/base/ascii.hpp"

namespace trawl::corpus {

MarkupScanner::Kind MarkupScanner::at(std::string_view text) {
    if (text.starts_with("<!--")) return Kind::Comment;
    if (text.starts_with("<?")) return Kind::Instruction;
    if (ascii_iequals_at(text, 0, "<!doctype") &&
        (text.size() == 9 || is_ascii_space(text[9]) || text[9] == '>' || text[9] == '['))
        return Kind::Doctype;
    return Kind::None;
}

bool MarkupScanner::pass(std::string_view& text) {
    if (!open()) {
        kind_ = at(text);
        in_subset_ = false;
        switch (kind_) {
            case Kind::Comment:
                skip_to_ = "-->";
                text.remove_prefix(4);
                break;
            case Kind::Instruction:
                skip_to_ = "?>";
                text.remove_prefix(2);
                break;
            case Kind::Doctype:
                skip_to_ = {};
                text.remove_prefix(9);
                break;
            case Kind::None:
                return true;  // no markup: nothing to pass over
        }
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!skip_to_.empty()) {
            const std::size_t end = text.find(skip_to_, i);
            if (end == std::string_view::npos) break;
            i = end + skip_to_.size() - 1;
            skip_to_ = {};
            if (kind_ == Kind::Doctype) continue;  // a string, comment or instruction within it
            text.remove_prefix(i + 1);
            kind_ = Kind::None;
            return true;
        }
        const std::string_view rest = text.substr(i);
        if (rest[0] == '"' || rest[0] == '\'') {
            skip_to_ = rest[0] == '"' ? "\"" : "'";
        } else if (rest.starts_with("<!--")) {
            skip_to_ = "-->";
            i += 3;
        } else if (rest.starts_with("<?")) {
            skip_to_ = "?>";
            i += 1;
        } else if (rest[0] == '[' || rest[0] == ']') {
            in_subset_ = rest[0] == '[';
        } else if (rest[0] == '>' && !in_subset_) {
            text.remove_prefix(i + 1);
            kind_ = Kind::None;
            return true;
        }
    }
    text = {};
    return false;
}

std::string_view MarkupScanner::opener() const {
    switch (kind_) {
        case Kind::Comment:
            return "<!--";
        case Kind::Instruction:
            return "<?";
        case Kind::Doctype:
            return "<!DOCTYPE";
        case Kind::None:
            break;
    }
    return {};
}

std::string_view MarkupScanner::closer() const {
    switch (kind_) {
        case Kind::Comment:
            return "-->";
        case Kind::Instruction:
            return "?>";
        case Kind::Doctype:
            return ">";
        case Kind::None:
            break;
    }
    return {};
}

std::string MarkupScanner::unclosed(std::uint64_t records_in_it) const {
    std::string detail = std::string(opener()) + " without " + std::string(closer());
    if (records_in_it > 0)
        detail +=
            "; " + std::to_string(records_in_it) + (records_in_it == 1 ? " record" : " records") + " in it not read";
    return detail;
}

}  // namespace trawl::corpus
