#include "indexer/prune.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include <xapian.h>

#include "indexer/format/deletions.hpp"
#include "indexer/format/doc_data.hpp"
#include "indexer/format/index_meta.hpp"
#include "indexer/format/passage_codec.hpp"
#include "indexer/format/passage_document.hpp"
#include "indexer/format/schema.hpp"
#include "indexer/format/shards.hpp"

namespace fs = std::filesystem;

namespace trawl::index {
namespace {

// False only when the system says there is no such file: a file in a folder
// the run cannot read (permission denied) is not gone (a review).
bool exists(const std::string& path) {
    std::error_code ec;
    const auto st = fs::symlink_status(path, ec);
    if (ec) return ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory;
    return fs::exists(st);
}

}  // namespace

std::string location_file(const std::string& location) {
    if (exists(location)) return location;
    const auto colon = location.rfind(':');
    if (colon == std::string::npos || colon + 1 == location.size()) return location;
    const bool line = std::all_of(location.begin() + static_cast<std::ptrdiff_t>(colon) + 1, location.end(),
                                  [](char c) { return c >= '0' && c <= '9'; });
    return line ? location.substr(0, colon) : location;
}

bool under_input(const std::string& file, const std::string& input) {
    if (input.empty() || input == "-") return false;
    if (file == input) return true;
    const std::string folder = input.back() == '/' ? input : input + "/";
    return file.size() > folder.size() && file.starts_with(folder);
}

std::vector<std::string> articles_whose_files_are_gone(const std::string& path,
                                                       const std::vector<std::string>& inputs) {
    std::vector<std::string> gone;
    for (const auto& shard : format::shard_paths(path)) {
        const Xapian::Database db(shard);
        const auto dead = format::Deletions::read(db).docids(db);  // in docid order
        format::PassageCodec codec(format::read_dictionary(db));
        const std::string prefix(format::kPrefixArticle);
        for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
            // The article's first live passage says where it was read from.
            for (auto p = db.postlist_begin(*t); p != db.postlist_end(*t); ++p) {
                if (std::binary_search(dead.begin(), dead.end(), *p)) continue;
                const auto data = format::stored_passage(db.get_document(*p, Xapian::DOC_ASSUME_VALID));
                const auto fields = format::decode_fields(codec.decompress(data.payload, data.raw_size));
                const std::string file = location_file(fields.location);
                const bool named = std::any_of(inputs.begin(), inputs.end(),
                                               [&](const std::string& in) { return under_input(file, in); });
                if (named && !exists(file)) gone.push_back(std::string(*t).substr(prefix.size()));
                break;
            }
        }
    }
    return gone;
}

}  // namespace trawl::index
