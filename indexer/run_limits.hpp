// What an indexing run asks of the process: room for the files it opens at
// once.
#pragma once

namespace trawl::index {

// Raises the soft limit of open files to the hard one (a shell's 1,024 is
// the usual soft limit): the merge of a new index opens every segment of
// every temporary shard at once, three or four files each. Returns the
// soft limit now in force (0 when it cannot be read).
unsigned long raise_open_file_limit();

}  // namespace trawl::index
