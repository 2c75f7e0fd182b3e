#include "bench/plot/compare_plots.hpp"

#include <algorithm>
#include <sstream>

#include "bench/perf/report_format.hpp"

namespace trawl::bench::plot {
namespace {

// Trawl's index split as print_index_table() prints it: postlist, position, the rest.
struct TableSplit {
    double postlist_mb = 0, position_mb = 0, rest_mb = 0;
};

TableSplit table_split(const IndexRow& row) {
    TableSplit s;
    for (const auto& [name, bytes] : row.tables) {
        const double mb = double(bytes) / 1e6;
        if (name == "postlist") s.postlist_mb += mb;
        else if (name == "position") s.position_mb += mb;
        else s.rest_mb += mb;
    }
    return s;
}

std::string corpus_line(const PlotLabels& labels, const BenchCorpus& c) {
    return labels.corpus + ": " + std::to_string(c.articles.size()) + " articles, " + std::to_string(c.docs.size()) +
           " units, " + fixed(double(c.input_bytes) / 1e6, 1) + " MB of text; " + labels.date;
}

std::string latency_script(const LatencyTable& table, const PlotLabels& labels, const BenchCorpus& c,
                           const std::string& name) {
    const std::string cdf = quote(name + ".tsv"), marks = quote(name + "-percentiles.tsv");
    std::ostringstream s;
    s << "set title " << quote("Query latency, " + table.title + "\n" + corpus_line(labels, c) + "; one thread") << "\n"
      << "set xlabel \"latency per query (ms, log scale)\"\n"
         "set ylabel \"share of queries answered within that time\"\n"
         "set logscale x\n"
         "set format x \"%g\"\n"
         "set yrange [0:1.08]\n"
         "set ytics 0,0.1,1\n"
         "set grid xtics ytics lc rgb \"#dddddd\" dt 1\n"
         "set key bottom right box opaque samplen 3 spacing 1.2\n"
         "# p50 and p99: the dotted lines; each engine's marks sit where its curve crosses them\n"
         "set arrow 1 from graph 0, first 0.5 to graph 1, first 0.5 nohead dt 3 lc rgb \"#888888\"\n"
         "set arrow 2 from graph 0, first 0.99 to graph 1, first 0.99 nohead dt 3 lc rgb \"#888888\"\n"
         "set label 1 \"p50\" at graph 0.01, first 0.53\n"
         "set label 2 \"p99\" at graph 0.01, first 1.02\n"
         "plot \\\n";
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        const auto& r = table.rows[i];
        const std::string ls = "ls " + std::to_string(i % 8 + 1);
        const std::string row = std::to_string(i);
        const std::string title =
            engine_label(r.engine) + "  (p50 " + fixed(r.p50_ms, 3) + " ms, p99 " + fixed(r.p99_ms, 3) + " ms)";
        s << "  " << cdf << " index " << row << " using 1:2 with steps " << ls << " notitle, \\\n"
          << "  " << marks << " every ::" << row << "::" << row << " using 2:(0.5) with points " << ls
          << " notitle, \\\n"
          << "  " << marks << " every ::" << row << "::" << row << " using 4:(0.99) with points " << ls
          << " notitle, \\\n"
          << "  NaN with linespoints " << ls << " title " << quote(title)
          << (i + 1 < table.rows.size() ? ", \\\n" : "\n");
    }
    return s.str();
}

std::string index_script(const BenchCorpus& c, const std::vector<IndexRow>& rows, const PlotLabels& labels) {
    const std::string data = "\"compare-index.tsv\"";
    std::ostringstream s;
    s << "set multiplot layout 1,2 title " << quote("Indexing, " + corpus_line(labels, c)) << "\n"
      << "set style fill pattern border lc rgb \"#000000\"\n"
         "set boxwidth 0.6\n"
         "set xrange [-0.6:"
      << (double(rows.size()) - 0.4)
      << "]\n"
         "set yrange [0:*]\n"
         "set offsets 0, 0, graph 0.25, 0\n"
         "unset xtics\n"
         "set grid ytics lc rgb \"#dddddd\" dt 1\n"
         "set key outside below left Left reverse vertical maxcols 1 samplen 2\n\n"
         "set title \"Throughput (one writer thread each unless --index-threads)\"\n"
         "set ylabel \"MB of text indexed per second (wall clock)\"\n"
         "plot \\\n";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::string row = std::to_string(i);
        s << "  " << data << " every ::" << row << "::" << row << " using 2:4 with boxes lc rgb \"#000000\" fs pattern "
          << fill_pattern(i) << " title " << quote(engine_label(rows[i].engine)) << ", \\\n";
    }
    s << "  " << data << " using 2:4:(sprintf(\"%.3g MB/s\", $4)) with labels offset 0,0.8 notitle\n\n"
      << "set title \"Index size (Trawl's by Xapian table)\"\n"
         "set ylabel \"index size on disk (MB)\"\n"
         "plot \\\n";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::string row = std::to_string(i);
        const std::string every = data + " every ::" + row + "::" + row;
        if (i == 0 && !rows[i].tables.empty()) {
            // Stacked: each segment drawn from 0 to its cumulative top, the tallest first.
            const std::string trawl = engine_label(rows[i].engine);
            s << "  " << every << " using 2:($8+$9+$10) with boxes lc rgb \"#000000\" fs pattern 6 title "
              << quote(trawl + ": other tables") << ", \\\n"
              << "  " << every << " using 2:($8+$9) with boxes lc rgb \"#000000\" fs pattern 2 title "
              << quote(trawl + ": position (positions)") << ", \\\n"
              << "  " << every << " using 2:8 with boxes lc rgb \"#aaaaaa\" fs solid 1 border lc rgb \"#000000\" title "
              << quote(trawl + ": postlist (postings, stored text)") << ", \\\n";
        } else {
            s << "  " << every << " using 2:6 with boxes lc rgb \"#000000\" fs pattern " << fill_pattern(i) << " title "
              << quote(engine_label(rows[i].engine)) << ", \\\n";
        }
    }
    s << "  " << data
      << " using 2:6:(sprintf(\"%.3g MB\\n%.2fx input\", $6, $7)) with labels offset 0,1.8 notitle\n"
         "unset multiplot\n";
    return s.str();
}

}  // namespace

std::string table_kind(const LatencyTable& table) { return table.title.substr(0, table.title.find(" (")); }

std::string latency_cdf_tsv(const LatencyTable& table) {
    std::ostringstream s;
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        const auto& r = table.rows[i];
        if (i > 0) s << "\n\n";
        s << "# " << tsv_field(engine_label(r.engine)) << ": " << table_kind(table) << ", " << r.micros.size()
          << " queries\n# latency_ms\tfraction\n";
        auto ms = r.micros;
        std::sort(ms.begin(), ms.end());
        if (ms.empty()) continue;
        s << number(ms.front() / 1e3) << "\t0\n";
        for (std::size_t k = 0; k < ms.size(); ++k)
            s << number(ms[k] / 1e3) << "\t" << number(double(k + 1) / double(ms.size())) << "\n";
    }
    return s.str();
}

std::string latency_percentiles_tsv(const LatencyTable& table) {
    std::ostringstream s;
    s << "# engine\tp50_ms\tp95_ms\tp99_ms\tqueries\tmatched\n";
    for (const auto& r : table.rows)
        s << tsv_field(engine_label(r.engine)) << "\t" << number(r.p50_ms) << "\t" << number(r.p95_ms) << "\t"
          << number(r.p99_ms) << "\t" << r.queries << "\t" << r.matched << "\n";
    return s.str();
}

std::string index_tsv(const BenchCorpus& c, const std::vector<IndexRow>& rows) {
    std::ostringstream s;
    s << "# engine\tx\twall_s\tmb_per_s\tunits_per_s\tindex_mb\tx_input\tpostlist_mb\tposition_mb\trest_mb\n";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        const auto& rep = r.report;
        s << tsv_field(engine_label(r.engine)) << "\t" << i << "\t" << number(rep.wall_seconds) << "\t"
          << number(ratio(double(c.input_bytes) / 1e6, rep.wall_seconds)) << "\t"
          << number(ratio(double(r.units), rep.wall_seconds)) << "\t" << number(double(rep.index_bytes) / 1e6) << "\t"
          << number(ratio(double(rep.index_bytes), double(c.input_bytes)));
        if (!r.tables.empty()) {
            const auto t = table_split(r);
            s << "\t" << number(t.postlist_mb) << "\t" << number(t.position_mb) << "\t" << number(t.rest_mb);
        } else {
            s << "\t\t\t";
        }
        s << "\n";
    }
    return s.str();
}

void write_compare_plots(PlotDir& dir, const PlotLabels& labels, const BenchCorpus& corpus,
                         const std::vector<IndexRow>& rows, const std::vector<LatencyTable>& tables) {
    dir.write("compare-index.tsv", index_tsv(corpus, rows));
    dir.write_script("compare-index", "Indexing throughput and index size per engine (trawl-bench compare)", 1000, 620,
                     index_script(corpus, rows, labels));
    for (const auto& t : tables) {
        const std::string name = "compare-latency-" + slug(table_kind(t));
        dir.write(name + ".tsv", latency_cdf_tsv(t));
        dir.write(name + "-percentiles.tsv", latency_percentiles_tsv(t));
        dir.write_script(name, "Query latency distribution per engine, " + table_kind(t) + " (trawl-bench compare)",
                         820, 520, latency_script(t, labels, corpus, name));
    }
}

}  // namespace trawl::bench::plot
