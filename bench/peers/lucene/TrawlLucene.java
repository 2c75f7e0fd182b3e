// Lucene 8 driver for trawl-bench's Lucene peer (bench/peers/lucene_peer.cpp),
// run as a separate JVM for each mode. It reproduces Anserini's BM25 baseline,
// the configuration most published Lucene BM25 figures use: EnglishAnalyzer
// (standard tokenizer, possessives removed, lower case, English stop words,
// Porter stemming), BM25Similarity(k1 = 0.9, b = 0.4), one positional field
// "contents" = title + "\n" + text, stored "id" and "text", a 256 MB RAM
// buffer and no forceMerge. Times are taken inside the JVM, so JVM start-up
// is excluded.
//
//   java -cp JARS:CLASSES TrawlLucene index DIR DOCS.tsv THREADS
//     DOCS.tsv: id, title, text. Prints "docs=N wall_seconds=W cpu_seconds=C".
//   java -cp JARS:CLASSES TrawlLucene search DIR QUERIES.tsv K WARMUP REPS THREADS SNIPPETS
//     QUERIES.tsv: qid, kind (words|phrase|near|adj), distance, terms...
//     WARMUP untimed passes over the queries, then REPS timed ones; THREADS
//     threads share one IndexSearcher, each running a contiguous share of the
//     queries, the timed passes starting together. SNIPPETS = 1: each hit's
//     stored text is highlighted by a UnifiedHighlighter (one best passage,
//     <b>..</b> marks), inside the timed part.
//     Prints per query: qid, median latency in microseconds (search, stored
//     fields and snippets, timed with System.nanoTime), then docid:score for
//     the top K hits, best first, each followed by its snippet when asked
//     for; last a line "#wall_seconds<TAB>W" (the timed passes).
//
// Files and output are UTF-8 escaped TSV: tab-separated fields, one record a
// line, with backslash, tab, newline and carriage return written \\ \t \n \r.
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.search.spans.SpanNearQuery;
import org.apache.lucene.search.spans.SpanQuery;
import org.apache.lucene.search.spans.SpanTermQuery;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.store.FSDirectory;

public final class TrawlLucene {
    private static final String CONTENTS = "contents";
    private static final float K1 = 0.9f;  // Anserini's BM25 defaults
    private static final float B = 0.4f;
    private static final double RAM_BUFFER_MB = 256;
    private static final int BATCH = 1000;  // documents handed to a writer thread at once
    private static final java.util.Set<String> ID_ONLY = java.util.Set.of("id");

    private TrawlLucene() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("index")) {
            index(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
        } else if (args.length == 8 && args[0].equals("search") && Integer.parseInt(args[3]) > 0) {
            search(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                   Integer.parseInt(args[5]), Integer.parseInt(args[6]), args[7].equals("1"));
        } else {
            System.err.println("usage: TrawlLucene index DIR DOCS.tsv THREADS\n"
                               + "       TrawlLucene search DIR QUERIES.tsv K(>0) WARMUP REPS THREADS SNIPPETS(0|1)");
            System.exit(2);
        }
    }

    // Reads documents on this thread and indexes them on `threads` writer threads.
    static void index(Path dir, Path docsFile, int threads) throws Exception {
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        IndexWriterConfig config = new IndexWriterConfig(new EnglishAnalyzer())
                                       .setSimilarity(new BM25Similarity(K1, B))
                                       .setRAMBufferSizeMB(RAM_BUFFER_MB)
                                       .setOpenMode(IndexWriterConfig.OpenMode.CREATE);
        long docs = 0;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (IndexWriter writer = new IndexWriter(FSDirectory.open(dir), config);
             BufferedReader in = utf8Reader(docsFile)) {
            Semaphore slots = new Semaphore(2 * threads);  // bounds the batches read ahead
            List<Future<?>> submitted = new ArrayList<>();
            List<Document> batch = new ArrayList<>();
            for (String line; (line = in.readLine()) != null; ++docs) {
                batch.add(document(fields(line, 3)));
                if (batch.size() == BATCH) {
                    submitted.add(submit(pool, slots, writer, batch));
                    batch = new ArrayList<>();
                }
            }
            submitted.add(submit(pool, slots, writer, batch));
            for (Future<?> f : submitted) f.get();  // rethrows a writer thread's failure
        } finally {
            pool.shutdown();
        }
        System.out.printf(Locale.ROOT, "docs=%d wall_seconds=%.6f cpu_seconds=%.6f%n", docs,
                          (System.nanoTime() - start) / 1e9, (processCpuNanos() - cpuStart) / 1e9);
    }

    // Hands `batch` to a writer thread once fewer than the permitted batches are in flight.
    static Future<?> submit(ExecutorService pool, Semaphore slots, IndexWriter writer, List<Document> batch)
        throws InterruptedException {
        slots.acquire();
        return pool.submit(() -> {
            try {
                for (Document doc : batch) writer.addDocument(doc);
            } finally {
                slots.release();
            }
            return null;
        });
    }

    static Document document(String[] f) {
        Document doc = new Document();
        doc.add(new StringField("id", f[0], Field.Store.YES));
        doc.add(new TextField(CONTENTS, f[1] + "\n" + f[2], Field.Store.NO));
        doc.add(new StoredField("text", f[2]));
        return doc;
    }

    static void search(Path dir, Path queriesFile, int k, int warmup, int reps, int threads, boolean snippets)
        throws Exception {
        Analyzer analyzer = new EnglishAnalyzer();
        List<String> ids = new ArrayList<>();
        List<Query> queries = new ArrayList<>();
        try (BufferedReader in = utf8Reader(queriesFile)) {
            for (String line; (line = in.readLine()) != null;) {
                String[] f = fields(line, 3);
                ids.add(f[0]);
                queries.add(query(analyzer, f[1], Integer.parseInt(f[2]), Arrays.copyOfRange(f, 3, f.length)));
            }
        }
        final int n = queries.size();
        final int passes = Math.max(reps, 1);
        long[][] nanos = new long[n][passes];
        List<List<String>> hits = new ArrayList<>(Collections.nCopies(n, List.<String>of()));
        long[] starts = new long[threads], ends = new long[threads];
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(dir))) {
            IndexSearcher searcher = new IndexSearcher(reader);
            searcher.setSimilarity(new BM25Similarity(K1, B));
            CyclicBarrier together = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int t = 0; t < threads; ++t) {
                    final int thread = t, first = (int) ((long) n * t / threads),
                              last = (int) ((long) n * (t + 1) / threads);
                    running.add(pool.submit(() -> {
                        UnifiedHighlighter highlighter = snippets ? highlighter(searcher, analyzer) : null;
                        Exception failed = null;
                        try {
                            for (int pass = 0; pass < warmup; ++pass)
                                for (int i = first; i < last; ++i)
                                    hits.set(i, run(searcher, highlighter, queries.get(i), k));
                        } catch (Exception e) {
                            failed = e;  // still meet the others at the barrier, then fail
                        }
                        together.await();
                        if (failed != null) throw failed;
                        starts[thread] = System.nanoTime();
                        for (int pass = 0; pass < passes; ++pass)
                            for (int i = first; i < last; ++i) {
                                long t0 = System.nanoTime();
                                hits.set(i, run(searcher, highlighter, queries.get(i), k));
                                nanos[i][pass] = System.nanoTime() - t0;
                            }
                        ends[thread] = System.nanoTime();
                        return null;
                    }));
                }
                for (Future<?> f : running) f.get();  // rethrows a search thread's failure
            } finally {
                pool.shutdown();
            }
        }
        try (PrintWriter out = new PrintWriter(
                 new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)))) {
            for (int i = 0; i < n; ++i) {
                Arrays.sort(nanos[i]);
                // the lower median, as trawl-bench's percentile() takes it
                out.print(escape(ids.get(i)) + "\t" + nanos[i][(passes - 1) / 2] / 1e3);
                for (String hit : hits.get(i)) out.print("\t" + hit);
                out.print('\n');
            }
            out.print("#wall_seconds\t" + (Arrays.stream(ends).max().getAsLong()
                                            - Arrays.stream(starts).min().getAsLong()) / 1e9 + "\n");
            if (out.checkError()) throw new IOException("cannot write the results to stdout");
        }
    }

    // Highlights the stored "text" with the terms the query has on "contents"
    // (the indexed field), re-analysing the text: one best passage per hit.
    static UnifiedHighlighter highlighter(IndexSearcher searcher, Analyzer analyzer) {
        UnifiedHighlighter h = new UnifiedHighlighter(searcher, analyzer);
        h.setFieldMatcher(CONTENTS::equals);
        return h;
    }

    // One timed search: the top k, with the stored id (and, with a
    // highlighter, the text's snippet) fetched as an application showing the
    // hits would. Returns "docid:score" per hit, each followed by its snippet
    // when highlighting.
    static List<String> run(IndexSearcher searcher, UnifiedHighlighter highlighter, Query query, int k)
        throws IOException {
        TopDocs top = searcher.search(query, k);
        List<String> hits = new ArrayList<>();
        String[] snippets = highlighter == null ? null : highlighter.highlight("text", query, top);
        for (int i = 0; i < top.scoreDocs.length; ++i) {
            ScoreDoc sd = top.scoreDocs[i];
            Document doc = highlighter == null ? searcher.doc(sd.doc) : searcher.doc(sd.doc, ID_ONLY);
            hits.add(escape(doc.get("id")) + ":" + sd.score);
            if (snippets != null) hits.add(escape(snippets[i] == null ? "" : snippets[i]));
        }
        return hits;
    }

    // words -> OR of the analysed terms; phrase -> PhraseQuery at the analysed
    // positions; near/adj -> unordered/ordered SpanNearQuery with slop `distance`.
    // Stop words are dropped (they leave a position gap inside a phrase).
    static Query query(Analyzer analyzer, String kind, int distance, String[] words) throws IOException {
        List<String> terms = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream(CONTENTS, String.join(" ", words))) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            PositionIncrementAttribute increment = ts.addAttribute(PositionIncrementAttribute.class);
            ts.reset();
            for (int position = -1; ts.incrementToken();) {
                position += increment.getPositionIncrement();
                terms.add(term.toString());
                positions.add(position);
            }
            ts.end();
        }
        if (terms.isEmpty()) return new MatchNoDocsQuery("only stop words");
        switch (kind) {
        case "words": {
            BooleanQuery.Builder any = new BooleanQuery.Builder();
            for (String t : terms) any.add(new TermQuery(new Term(CONTENTS, t)), BooleanClause.Occur.SHOULD);
            return any.build();
        }
        case "phrase": {
            PhraseQuery.Builder phrase = new PhraseQuery.Builder();
            for (int i = 0; i < terms.size(); ++i) phrase.add(new Term(CONTENTS, terms.get(i)), positions.get(i));
            return phrase.build();
        }
        case "near":
        case "adj": {
            if (terms.size() == 1) return new TermQuery(new Term(CONTENTS, terms.get(0)));
            SpanQuery[] clauses = new SpanQuery[terms.size()];
            for (int i = 0; i < clauses.length; ++i) clauses[i] = new SpanTermQuery(new Term(CONTENTS, terms.get(i)));
            return new SpanNearQuery(clauses, distance, kind.equals("adj"));
        }
        default:
            throw new IllegalArgumentException("unknown query kind '" + kind + "'");
        }
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    static BufferedReader utf8Reader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8));
    }

    // The unescaped fields of an escaped TSV line, which must have at least `min`.
    static String[] fields(String line, int min) {
        String[] f = line.split("\t", -1);
        if (f.length < min) throw new IllegalArgumentException("expected " + min + "+ fields: " + line);
        for (int i = 0; i < f.length; ++i) f[i] = unescape(f[i]);
        return f;
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ++i) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char e = s.charAt(++i);
                b.append(e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
