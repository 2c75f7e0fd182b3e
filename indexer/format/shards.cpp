#include "indexer/format/shards.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <xapian.h>

#include "corpus/base/error.hpp"
#include "corpus/base/hash64.hpp"
#include "indexer/format/index_meta.hpp"
#include "indexer/format/schema.hpp"

namespace trawl::format {
namespace fs = std::filesystem;

std::string shard_dir_name(unsigned i) { return "shard-" + std::to_string(i); }

unsigned shard_of(std::string_view article_id, unsigned shards) {
    return shards <= 1 ? 0 : static_cast<unsigned>(corpus::fnv1a64(article_id) % shards);
}

bool is_sharded(const std::string& path) {
    std::error_code ec;
    return fs::is_directory(path, ec) && fs::is_regular_file(fs::path(path) / kStubFile, ec);
}

ShardRecord read_shard_record(const Xapian::Database& db) {
    ShardRecord r;
    r.set = db.get_metadata(std::string(kMetaShards));
    r.position_text = db.get_metadata(std::string(kMetaShard));
    std::istringstream words(r.set);
    for (std::string u; words >> u;) r.uuids.push_back(u);
    const auto& pos = r.position_text;
    const bool number = !pos.empty() && pos.size() < 10 && pos.find_first_not_of("0123456789") == std::string::npos;
    if (number && std::stoul(pos) < r.uuids.size()) r.position = static_cast<unsigned>(std::stoul(pos));
    return r;
}

namespace {

// Checks the shards listed in `stub` (lines[i] is the stub line of shards[i])
// against the set they record. Skips the check when a shard does not open.
void check_shard_set(const std::string& path, const std::string& stub, const std::vector<std::string>& shards,
                     const std::vector<std::uint64_t>& lines) {
    const auto damaged = [&](const std::string& what) {
        return IndexFormatError(path + ": " + what + "; index damaged");
    };
    std::vector<ShardRecord> records;
    for (const auto& shard : shards) {
        ShardRecord r;
        try {
            r = read_shard_record(Xapian::Database(shard));
        } catch (const Xapian::Error&) {
            return;  // the caller opens it and says why it cannot
        }
        if (!r.set.empty() && !r.position)
            throw damaged(shard + ": unreadable shard position '" + printable(r.position_text) + "'");
        records.push_back(std::move(r));
    }
    const ShardRecord* first = nullptr;
    for (const auto& r : records)
        if (!r.set.empty()) first = first ? first : &r;
    if (!first) return;  // an index made before shards recorded their set
    const std::size_t n = first->uuids.size();
    std::vector<std::size_t> listed_at(n, shards.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& r = records[i];
        const std::string where = stub + ":" + std::to_string(lines[i]);
        if (r.set != first->set)
            throw damaged("the shard list mixes indexes (" + where + ", " + shards[i] +
                          ", is not one of the shards the other lines belong to)");
        const unsigned position = *r.position;
        if (listed_at[position] != shards.size())
            throw damaged("the shard list names shard " + std::to_string(position) + " twice (" + stub + " lines " +
                          std::to_string(lines[listed_at[position]]) + " and " + std::to_string(lines[i]) + ")");
        listed_at[position] = i;
    }
    if (shards.size() != n) {
        std::string missing;
        for (std::size_t p = 0; p < n; ++p)
            if (listed_at[p] == shards.size()) missing += (missing.empty() ? "" : ", ") + std::to_string(p);
        throw damaged("the shard list names " + std::to_string(shards.size()) + " of " + std::to_string(n) +
                      " shards (no line in " + stub + " for shard " + missing + ")");
    }
}

}  // namespace

std::vector<std::string> shard_paths(const std::string& path) {
    if (!is_sharded(path)) return {path};
    const auto stub = (fs::path(path) / kStubFile).string();
    std::ifstream in(stub);
    if (!in) throw Error(stub + ": cannot read the shard list");
    std::vector<std::string> out;
    std::vector<std::uint64_t> lines;
    std::string line;
    for (std::uint64_t n = 1; std::getline(in, line); ++n) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream words(line);
        std::string type, shard;
        words >> type >> shard;
        if ((type != "auto" && type != "glass") || shard.empty()) {
            // A binary file is not echoed raw (nor cut at a NUL), nor in full.
            constexpr std::size_t kShown = 80;
            const std::string shown =
                printable(std::string_view(line).substr(0, kShown)) + (line.size() > kShown ? "..." : "");
            throw IndexFormatError(stub + ":" + std::to_string(n) + ": expected 'auto PATH', got '" + shown + "'");
        }
        out.push_back(fs::path(shard).is_absolute() ? shard : (fs::path(path) / shard).string());
        lines.push_back(n);
    }
    if (out.empty()) throw IndexFormatError(stub + ": lists no shard");
    check_shard_set(path, stub, out, lines);
    return out;
}

void write_stub(const std::string& dir, unsigned n) {
    const auto stub = fs::path(dir) / kStubFile;
    const auto tmp = fs::path(dir) / (std::string(kStubFile) + ".tmp");
    {
        std::ofstream out(tmp, std::ios::trunc);
        for (unsigned i = 0; i < n; ++i) out << "auto " << shard_dir_name(i) << "\n";
        out.flush();
        if (!out) throw Error(tmp.string() + ": cannot write the shard list");
    }
    fs::rename(tmp, stub);
}

void write_shard_set(const std::string& dir, unsigned n) {
    std::vector<Xapian::WritableDatabase> dbs;
    std::string set;
    for (unsigned i = 0; i < n; ++i) {
        const auto shard = fs::path(dir) / shard_dir_name(i);
        // A v3 database without its termlist table must be opened saying so.
        const int no_termlist = fs::exists(shard / "termlist.glass") ? 0 : Xapian::DB_NO_TERMLIST;
        dbs.emplace_back(shard.string(), Xapian::DB_OPEN | no_termlist);
        set += (i ? " " : "") + dbs.back().get_uuid();
    }
    for (unsigned i = 0; i < n; ++i) {
        dbs[i].set_metadata(std::string(kMetaShards), set);
        dbs[i].set_metadata(std::string(kMetaShard), std::to_string(i));
        dbs[i].commit();
    }
}

}  // namespace trawl::format
