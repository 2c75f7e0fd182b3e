#include "bench/child_process.hpp"

#include <cerrno>
#include <chrono>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace trawl::bench {

std::string ChildRun::how() const {
    return exited ? "exited with status " + std::to_string(code) : "killed by signal " + std::to_string(code);
}

ChildRun run_child(const std::vector<std::string>& command, const std::filesystem::path& out,
                   const std::filesystem::path& err) {
    std::vector<std::string> args = command;
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ChildRun run;
    const auto start = std::chrono::steady_clock::now();
    pid_t pid = 0;
    run.error = posix_spawnp(&pid, args.front().c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (run.error != 0) return run;
    int status = 0;
    rusage usage{};
    run.waited = true;
    while (wait4(pid, &status, 0, &usage) < 0)
        if (errno != EINTR) {
            run.error = errno;
            return run;
        }
    run.micros = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    run.exited = WIFEXITED(status);
    run.code = run.exited ? WEXITSTATUS(status) : WTERMSIG(status);
    run.peak_rss_bytes = static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // ru_maxrss is in KiB
    return run;
}

std::string read_whole_file(const std::filesystem::path& path) {
    std::ostringstream text;
    text << std::ifstream(path, std::ios::binary).rdbuf();
    return text.str();
}

}  // namespace trawl::bench
