#include "bench/plot/gnuplot.hpp"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "corpus/base/error.hpp"

extern char** environ;

namespace fs = std::filesystem;

namespace trawl::bench::plot {

std::string quote(std::string_view s) {
    std::string q = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') q += '\\';
        if (c == '\n') {
            q += "\\n";
            continue;
        }
        q += c;
    }
    return q + '"';
}

std::string tsv_field(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return out;
}

std::string slug(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') out += c;
        else if (!out.empty() && out.back() != '-') out += '-';
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? "plot" : out;
}

std::string number(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", x);
    return buf;
}

std::string engine_label(const std::string& engine) {
    if (engine == "trawl" || engine.rfind("trawl ", 0) == 0)
        return std::string("trawl ") + TRAWL_VERSION + engine.substr(5);
    return engine;
}

std::string today_utc() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

std::string corpus_name(const std::vector<std::string>& inputs) {
    std::string out;
    std::set<std::string> parents;
    for (const auto& in : inputs) {
        auto p = fs::path(in).lexically_normal();
        if (p.filename().empty()) p = p.parent_path();  // "dir/" -> "dir"
        out += (out.empty() ? "" : "+") + p.filename().string();
        parents.insert(p.parent_path().filename().string());
    }
    // Several files of one directory: "reuters21578 (4 files)".
    if (inputs.size() > 1 && parents.size() == 1 && !parents.begin()->empty())
        return *parents.begin() + " (" + std::to_string(inputs.size()) + " files)";
    return out;
}

std::string line_styles() {
    // Okabe-Ito colours, each with its own dash type and point type.
    static const char* colours[] = {"#000000", "#0072B2", "#D55E00", "#009E73",
                                    "#CC79A7", "#E69F00", "#56B4E9", "#666666"};
    static const int points[] = {7, 5, 9, 11, 13, 4, 6, 8};
    std::string s;
    for (int i = 0; i < 8; ++i)
        s += "set style line " + std::to_string(i + 1) + " lc rgb \"" + colours[i] + "\" lw 1.5 dt " +
             std::to_string(i % 5 + 1) + " pt " + std::to_string(points[i]) + " ps 0.8\n";
    return s;
}

int fill_pattern(std::size_t n) {
    // gnuplot's patterns: 0 empty, 1 and 2 cross-hatched, 3 solid, 4-7 hatched.
    static const int patterns[] = {3, 0, 4, 7, 1, 5, 2, 6};
    return patterns[n % 8];
}

PlotDir::PlotDir(std::string dir) : dir_(std::move(dir)) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec || !fs::is_directory(dir_))
        throw Error(dir_ + ": cannot create the plot directory" + (ec ? ": " + ec.message() : ""));
    if (::access(dir_.c_str(), W_OK) != 0) throw Error(dir_ + ": cannot write plots here: " + std::strerror(errno));
}

void PlotDir::write(const std::string& name, const std::string& content) const {
    const auto path = (fs::path(dir_) / name).string();
    std::ofstream out(path, std::ios::binary);
    out << content;
    if (!out.flush()) throw Error(path + ": cannot write");
}

void PlotDir::write_script(const std::string& name, const std::string& what, int width, int height,
                           const std::string& body) {
    const std::string size = std::to_string(width) + "," + std::to_string(height);
    std::ostringstream s;
    s << "# " << what << "\n"
      << "# Written by trawl-bench " << TRAWL_VERSION << "; restyle it and run it again in this directory:\n"
      << "#   gnuplot " << name << ".gp            -> " << name << ".svg\n"
      << "#   gnuplot -e \"png=1\" " << name << ".gp -> " << name << ".png\n"
      << "if (exists(\"png\")) {\n"
      << "    if (strstrt(GPVAL_TERMINALS, \"pngcairo\") > 0) {\n"
      << "        set terminal pngcairo noenhanced size " << size << " font \"sans-serif,10\"\n"
      << "    } else {\n"
      << "        set terminal png noenhanced size " << size << "\n"
      << "    }\n"
      << "    set output " << quote(name + ".png") << "\n"
      << "} else {\n"
      << "    set terminal svg noenhanced size " << size << " font \"sans-serif,11\" background \"white\"\n"
      << "    set output " << quote(name + ".svg") << "\n"
      << "}\n"
      << "set datafile separator \"\\t\"\n"
      << line_styles() << "\n"
      << body;
    write(name + ".gp", s.str());
    scripts_.push_back(name);
}

std::optional<PlotDir> open_plot_dir(const std::string& dir) {
    if (dir.empty()) return std::nullopt;
    return PlotDir(dir);
}

std::string find_on_path(const std::string& name) {
    const char* path = std::getenv("PATH");
    if (!path) return {};
    std::stringstream dirs(path);
    for (std::string d; std::getline(dirs, d, ':');) {
        const auto candidate = (fs::path(d.empty() ? "." : d) / name).string();
        if (::access(candidate.c_str(), X_OK) == 0 && !fs::is_directory(candidate)) return candidate;
    }
    return {};
}

namespace {

// Runs `gnuplot [-e png=1] script` in `dir`, its stdout sent to stderr; the exit status.
int run_gnuplot(const std::string& gnuplot, const std::string& dir, const std::string& script, bool png) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
    posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
    std::vector<std::string> args = {gnuplot};
    if (png) args.insert(args.end(), {"-e", "png=1"});
    args.push_back(script);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, gnuplot.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw Error(gnuplot + ": cannot run: " + std::strerror(rc));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

void render(const PlotDir& dir, std::ostream& err, bool quiet) {
    const auto gnuplot = find_on_path("gnuplot");
    if (gnuplot.empty()) {
        err << "trawl-bench: gnuplot not found: the plot data and scripts are in " << dir.path()
            << "; draw them with: cd " << dir.path()
            << " && for s in *.gp; do gnuplot \"$s\"; done  (Debian: apt-get install gnuplot-nox)\n";
        return;
    }
    std::string svgs;
    for (const auto& name : dir.scripts()) {
        for (bool png : {false, true}) {
            const int status = run_gnuplot(gnuplot, dir.path(), name + ".gp", png);
            if (status != 0)
                throw Error((fs::path(dir.path()) / (name + ".gp")).string() + ": gnuplot failed (exit " +
                            std::to_string(status) + ")" + (png ? " drawing the PNG" : ""));
        }
        svgs += (svgs.empty() ? "" : ", ") + name + ".svg";
    }
    if (!quiet)
        err << "trawl-bench: plots in " << dir.path() << ": " << svgs
            << " (and .png; data .tsv and gnuplot scripts .gp beside them)\n";
}

}  // namespace trawl::bench::plot
