// Runs a shell command for end-to-end tests, capturing exit code, stdout and stderr.
#pragma once

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/wait.h>

#include "tests/testutil/temp_dir.hpp"

namespace trawl::test {

struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Single-quotes `s` for /bin/sh.
inline std::string shell_quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) {
        if (c == '\'') q += "'\\''";
        else q += c;
    }
    return q + "'";
}

// Runs `cmd` with /bin/sh, stdin from /dev/null unless `cmd` redirects it.
inline CommandResult run_command(const std::string& cmd, const std::string& stdin_text = {}) {
    TempDir tmp;
    auto in = tmp / "stdin", out = tmp / "stdout", err = tmp / "stderr";
    std::ofstream(in) << stdin_text;
    std::string full =
        cmd + " <" + shell_quote(in.string()) + " >" + shell_quote(out.string()) + " 2>" + shell_quote(err.string());
    int status = std::system(full.c_str());
    CommandResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::stringstream so, se;
    so << std::ifstream(out).rdbuf();
    se << std::ifstream(err).rdbuf();
    r.out = so.str();
    r.err = se.str();
    return r;
}

// Non-empty lines of `text`.
inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream is(text);
    for (std::string l; std::getline(is, l);)
        if (!l.empty()) lines.push_back(l);
    return lines;
}

}  // namespace trawl::test
