// trawl-bench --plot: every plot is a tab-separated data file and a gnuplot
// script written into the plot directory, then drawn by gnuplot (SVG, and
// PNG through pngcairo) when it is installed, so a user can restyle a plot
// and run the script again. Shared by the compare, scale and eval plots.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace trawl::bench::plot {

// What every plot's title says besides its subject.
struct PlotLabels {
    std::string corpus;  // "reuters21578", the test collection's name
    std::string date;    // "2026-11-30" (UTC, the day of the run)
};

// `s` as a gnuplot double-quoted string literal (\, " and newlines escaped).
std::string quote(std::string_view s);
// `s` fit for one field of a data file: tabs and line breaks become spaces.
std::string tsv_field(std::string_view s);
// `s` fit for a file name: letters, digits, '.' and '-' kept, runs of anything else one '-'.
std::string slug(std::string_view s);
// `x` with 6 significant digits ("0.25", "1.23457e+06").
std::string number(double x);

// An engine as the plots name it, with its version: "trawl" -> "trawl 0.1.0",
// "trawl --by-article" -> "trawl 0.1.0 --by-article"; peers name their own
// version ("sqlite-fts5 3.40.1", "lucene-8") and are kept as they are.
std::string engine_label(const std::string& engine);

// Today's date, UTC, as YYYY-MM-DD.
std::string today_utc();
// The corpus a plot is about: the last path component of each input, joined
// with '+'; several files of one directory: "reuters21578 (4 files)".
std::string corpus_name(const std::vector<std::string>& inputs);

// The line styles every plot uses: 1..8 differ in dash type and point type as
// well as colour (Okabe-Ito colours), so they read in black and white.
std::string line_styles();
// Fill pattern n (0-based) for bar n: patterns that differ in black and white
// (solid, empty, hatched...; 2 and 6 are left for the parts of Trawl's index bar).
int fill_pattern(std::size_t n);

// The plot directory: creates it and the files in it.
class PlotDir {
public:
    // Creates `dir` (and parents) and checks that a file can be written
    // there; Error naming the directory otherwise (before any long run).
    explicit PlotDir(std::string dir);
    const std::string& path() const { return dir_; }
    // Writes DIR/name; Error naming the file when it cannot.
    void write(const std::string& name, const std::string& content) const;
    // Writes DIR/<name>.gp: the header (terminal, size, output <name>.svg,
    // or <name>.png when run with -e "png=1"; tab-separated data) then `body`.
    void write_script(const std::string& name, const std::string& what, int width, int height, const std::string& body);
    const std::vector<std::string>& scripts() const { return scripts_; }

private:
    std::string dir_;
    std::vector<std::string> scripts_;  // names without .gp, in the order written
};

// --plot DIR of compare, scale and eval: its help text, and the directory
// (nullopt when DIR is empty, i.e. no --plot).
inline constexpr const char* kPlotOptionHelp =
    "also write plots into DIR: each a data file (.tsv) and a gnuplot script (.gp) to restyle and re-run, "
    "drawn as SVG and PNG when gnuplot is installed";
std::optional<PlotDir> open_plot_dir(const std::string& dir);

// The executable `name` on $PATH ("" when there is none).
std::string find_on_path(const std::string& name);

// Runs every script of `dir` through gnuplot inside the directory: SVG, then
// PNG. Without gnuplot, one line on `err` says how to draw them later. Says
// what was written unless `quiet`. Error naming the script when gnuplot fails.
void render(const PlotDir& dir, std::ostream& err, bool quiet);

}  // namespace trawl::bench::plot
