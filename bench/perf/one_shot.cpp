#include "bench/perf/one_shot.hpp"

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "corpus/base/error.hpp"

extern char** environ;

namespace trawl::bench {
namespace {

std::string slurp(const std::filesystem::path& path) {
    std::ostringstream text;
    text << std::ifstream(path, std::ios::binary).rdbuf();
    return text.str();
}

}  // namespace

OneShotRun run_one_shot(const std::vector<std::string>& command, const std::filesystem::path& scratch) {
    if (command.empty()) throw Error("one-shot run: no program");
    std::vector<std::string> args = command;
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const auto out_path = scratch / "one-shot.out", err_path = scratch / "one-shot.err";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const auto start = std::chrono::steady_clock::now();
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, args.front().c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw Error(args.front() + ": cannot run: " + std::strerror(rc));
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw Error(args.front() + ": waiting for it: " + std::strerror(errno));
    const auto micros = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    if (!WIFEXITED(status)) throw Error(args.front() + " killed by signal " + std::to_string(WTERMSIG(status)));
    OneShotRun run{micros, WEXITSTATUS(status), {}};
    std::istringstream err(slurp(err_path));
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
