#include "indexer/format/tables.hpp"

#include "corpus/base/error.hpp"
#include "indexer/format/schema.hpp"

namespace trawl::format {

void check_tables(const Xapian::Database& db, const std::string& path, StemStorage stems,
                  const PositionalWords& positional) {
    // A passage's length counts its words (boolean terms have no wdf): with
    // none anywhere, no synonym or position was ever written.
    if (db.get_doccount() == 0 || db.get_total_length() == 0) return;
    const auto missing = [&](const std::string& table, const std::string& holds) {
        throw IndexFormatError(path + ": index damaged (its " + table + " table, which holds " + holds +
                               ", is missing); re-index it with trawl-index");
    };
    // Every word indexed has its stem's entry (stems.hpp, StemTableWriter).
    if (stems == StemStorage::Synonyms && db.synonym_keys_begin() == db.synonym_keys_end())
        missing("synonym", "the words of each stem");
    if ((positional.all_words() || !positional.words().empty()) && !db.has_positions())
        missing("position", "the positions of its words");
    if (db.get_metadata(std::string(kMetaTermlist)) == "kept") {
        try {
            const auto first = db.postlist_begin("");
            if (first != db.postlist_end("")) db.termlist_begin(*first);
        } catch (const Xapian::FeatureUnavailableError&) {  // glass: "Database has no termlist"
            missing("termlist", "each passage's terms");
        }
    }
}

}  // namespace trawl::format
