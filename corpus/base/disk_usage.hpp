// Bytes an index (or any file tree) takes on disk: for the trawl-index summary
// and trawl-bench's size columns, without the writer's headers.
#pragma once

#include <cstdint>
#include <string>

namespace trawl {

// Bytes on disk at `path`: a file's size, or the total of the regular files
// in a directory walked recursively (an index); 0 if absent.
std::uint64_t directory_bytes(const std::string& path);

}  // namespace trawl
