#include "shards.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "error.hpp"

namespace trawl::format {
namespace fs = std::filesystem;

std::string shard_dir_name(unsigned i) { return "shard-" + std::to_string(i); }

unsigned shard_of(std::string_view article_id, unsigned shards) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : article_id) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    return shards <= 1 ? 0 : static_cast<unsigned>(h % shards);
}

bool is_sharded(const std::string& path) {
    std::error_code ec;
    return fs::is_directory(path, ec) && fs::is_regular_file(fs::path(path) / kStubFile, ec);
}

std::vector<std::string> shard_paths(const std::string& path) {
    if (!is_sharded(path)) return {path};
    const auto stub = (fs::path(path) / kStubFile).string();
    std::ifstream in(stub);
    if (!in) throw Error(stub + ": cannot read the shard list");
    std::vector<std::string> out;
    std::string line;
    for (std::uint64_t n = 1; std::getline(in, line); ++n) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream words(line);
        std::string type, shard;
        words >> type >> shard;
        if ((type != "auto" && type != "glass") || shard.empty())
            throw IndexFormatError(stub + ":" + std::to_string(n) + ": expected 'auto PATH', got '" + line + "'");
        out.push_back(fs::path(shard).is_absolute() ? shard : (fs::path(path) / shard).string());
    }
    if (out.empty()) throw IndexFormatError(stub + ": lists no shard");
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

}  // namespace trawl::format
