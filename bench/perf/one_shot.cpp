#include "bench/perf/one_shot.hpp"

#include <cstring>
#include <sstream>

#include "bench/child_process.hpp"
#include "corpus/base/error.hpp"

namespace trawl::bench {

OneShotRun run_one_shot(const std::vector<std::string>& command, const std::filesystem::path& scratch) {
    if (command.empty()) throw Error("one-shot run: no program");
    const auto err_path = scratch / "one-shot.err";
    const ChildRun child = run_child(command, scratch / "one-shot.out", err_path);
    const std::string& program = command.front();
    if (child.error != 0)
        throw Error(program + (child.waited ? ": waiting for it: " : ": cannot run: ") + std::strerror(child.error));
    if (!child.exited) throw Error(program + " " + child.how());
    OneShotRun run{child.micros, child.code, {}};
    std::istringstream err(read_whole_file(err_path));
    for (std::string line; std::getline(err, line);)
        if (line.find_first_not_of(" \t\r") != std::string::npos) {
            run.first_error = line;
            break;
        }
    return run;
}

std::vector<std::string> one_shot_command(const std::string& program, const std::vector<std::string>& dbs,
                                          const std::vector<std::string>& options, const std::string& query) {
    std::vector<std::string> command = {program};
    for (const auto& db : dbs) command.push_back("--db=" + db);
    command.insert(command.end(), options.begin(), options.end());
    command.push_back("--");
    command.push_back(query);
    return command;
}

}  // namespace trawl::bench
