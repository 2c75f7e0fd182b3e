#include "index_meta.hpp"

#include "error.hpp"
#include "schema.hpp"
#include "analysis.hpp"

namespace trawl::format {

void check_format(const Xapian::Database& db, const std::string& path) {
    auto stamp = db.get_metadata(std::string(kMetaFormatVersion));
    if (stamp.empty()) {
        if (db.get_doccount() == 0) return;  // new, empty database
        throw IndexFormatError(path + ": not a Trawl index (no format version in its metadata)");
    }
    int found = 0;
    try {
        found = std::stoi(stamp);
    } catch (const std::exception&) {
        throw IndexFormatError(path + ": unreadable index format version '" + stamp + "'");
    }
    if (found != kFormatVersion)
        throw IndexFormatError(path + ": index format v" + std::to_string(found) + ", this trawl reads v" +
                               std::to_string(kFormatVersion) + " — re-index");
}

void stamp_format(Xapian::WritableDatabase& db) {
    db.set_metadata(std::string(kMetaFormatVersion), std::to_string(kFormatVersion));
    db.set_metadata(std::string(kMetaLanguage), kLanguage);
}

std::string read_dictionary(const Xapian::Database& db) {
    return db.get_metadata(std::string(kMetaDictionary));
}

}  // namespace trawl::format
