// trawl-index --delete: removes whole articles in one transaction.
#include "delete_articles.hpp"

#include <unordered_set>

#include <xapian.h>

#include "error.hpp"
#include "index_meta.hpp"
#include "schema.hpp"

namespace trawl::index {

DeleteStats delete_articles(const std::string& path, const std::vector<std::string>& ids) {
    Xapian::WritableDatabase db;
    try {
        db = Xapian::WritableDatabase(path, Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
    } catch (const Xapian::DatabaseLockError&) {
        throw Error(path + ": index is locked by another process (is another trawl-index running?)");
    } catch (const Xapian::Error& e) {
        throw Error(path + ": cannot open index: " + e.get_msg());
    }
    format::check_format(db, path);

    DeleteStats stats;
    std::unordered_set<std::string> done;
    db.begin_transaction(true);
    try {
        for (const auto& id : ids) {
            if (!done.insert(id).second) continue;
            const std::string term = std::string(format::kPrefixArticle) + id;
            const Xapian::doccount n = db.get_termfreq(term);
            if (n == 0) {
                stats.unknown.push_back(id);
                continue;
            }
            db.delete_document(term);
            ++stats.articles;
            stats.passages += n;
        }
        db.commit_transaction();
    } catch (...) {
        db.cancel_transaction();
        throw;
    }
    db.commit();
    return stats;
}

int run_delete(const IndexConfig& cfg, std::ostream& out, std::ostream& err) {
    const DeleteStats s = delete_articles(cfg.db_path, cfg.delete_ids);
    for (const auto& id : s.unknown) err << "trawl-index: warning: no article '" << id << "' in " << cfg.db_path << "\n";
    if (cfg.summary) {
        out << "deleted " << s.articles << " articles (" << s.passages << " passages)";
        if (!s.unknown.empty()) out << "; " << s.unknown.size() << " unknown ids";
        out << "\n";
    }
    return 0;
}

}  // namespace trawl::index
