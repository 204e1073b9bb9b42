//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use stdbridge_app::model::{Compute, ImportFormat};

/// stdbridge — a catalogue of the world's standards, and a bridge between their languages.
#[derive(Debug, Parser)]
#[command(name = "stdbridge", version, about, long_about = None)]
pub struct Cli {
    /// Data directory (SQLite store and indexes). Default: $STDBRIDGE_DATA, else the
    /// per-user data directory (~/.local/share/stdbridge on Linux).
    #[arg(long, global = true, env = "STDBRIDGE_DATA", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// The store: sqlite://PATH or postgres://USER@HOST:PORT/DATABASE (default:
    /// stdbridge.sqlite in the data directory). Several server nodes share one PostgreSQL
    /// store, each with its own data directory for its search indexes.
    #[arg(
        long,
        global = true,
        env = "STDBRIDGE_DATABASE_URL",
        value_name = "URL"
    )]
    pub database_url: Option<String>,

    /// A TOML configuration file (data_dir, database_url, index_dir, models_dir,
    /// catalogue_public, cpu_workers, cpu_queue, [keys]); the environment and the flags
    /// override it. Default: stdbridge.toml in the per-user configuration directory.
    #[arg(long, global = true, env = "STDBRIDGE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// More log output (-v info, -vv debug); STDBRIDGE_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load the demo data shipped in the binary (ISO records, Chinese national and sector
    /// standards, ICS/CCS/countries/bodies) and show what the catalogue holds.
    Demo,

    /// Import catalogue data: Relaton YAML/JSON/JSON Lines, ISO Open Data, the generic
    /// CSV/JSON Lines format, or reference data (ICS, CCS, countries, bodies).
    ///
    /// Files ending in .gz are decompressed on the fly; directories are walked. Each file
    /// is stored in one transaction. A bad record is rejected with its file, line and
    /// reason and the rest of the file is stored; a file that cannot be read to its end
    /// (truncated .gz) stores nothing. Re-importing the same data changes nothing.
    Import {
        /// Files or directories to import.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// The format, when it cannot be told from the file: relaton, iso-open-data,
        /// generic-jsonl, generic-csv, ics, ccs, countries, bodies.
        #[arg(long, value_parser = parse_format)]
        format: Option<ImportFormat>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
        /// Exit with status 1 when any record was rejected.
        #[arg(long)]
        strict: bool,
    },

    /// Show one standard: any spelling of its designation ("gbt 17766—2020",
    /// "ＩＳＯ ９００１：２００８"); an undated designation ("ISO 9001") gives the current
    /// edition.
    Show {
        /// The designation.
        designation: String,
        /// Print JSON (the record, its resolved relations and replacement chains).
        #[arg(long)]
        json: bool,
    },

    /// Search the catalogue: a designation in any spelling, words of a title in any
    /// language, and filters.
    ///
    /// A designation ("gbt 17766—2020", "ISO 9001") finds that standard first; an undated
    /// one lists the current edition first, then the others. A series prefix ("ISO 9001-",
    /// "GB/T 1.") lists the parts of the series in numeric order. Words match titles in
    /// English, French, Russian and Spanish (stemmed, with typo tolerance for longer
    /// words), Chinese (segmented with jieba and a domain dictionary; traditional
    /// characters match simplified ones) and Japanese (character bigrams). Matched words
    /// are shown in bold on a terminal, and as character spans in --json. Filters:
    ///
    ///   body:ISO  country:CN  scope:national  status:published  type:technical-report
    ///   lang:zh  ics:13.040  ccs:F01  year:2015..2020
    ///   sort:relevance|newest|oldest|designation
    ///
    /// Several values are separated by commas: status:published,confirmed. Example:
    /// `ics:13.040 status:published year:2015..2020 body:SAC iec 60335`.
    /// The search index (DATA_DIR/index/catalog) follows the store's change log and is
    /// brought up to date before each search; `reindex` rebuilds it.
    Search {
        /// The query.
        query: String,
        /// How many hits to print.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// How many hits to skip (pagination).
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Print JSON: {"total", "hits": [{"designation", "titles", "status", "score", …}], "facets"}.
        #[arg(long)]
        json: bool,
    },

    /// Generate a synthetic catalogue (generic JSON Lines) for benchmarks and load tests.
    ///
    /// Deterministic: the same --records and --seed give the same file, byte for byte.
    /// Records follow the counts of real catalogue data (years, statuses, ICS fields,
    /// title lengths and words, editions, parts, amendments) across 6 international and
    /// regional bodies and 59 countries, with Chinese titles for Chinese standards and
    /// national adoptions of ISO/IEC standards. 1,320,000 records is the scale of the
    /// largest national platforms. Import the result with `stdbridge import FILE`.
    GenCatalog {
        /// How many records.
        #[arg(long, default_value_t = 10_000)]
        records: usize,
        /// The random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file (gzip-compressed when it ends in .gz); standard output if absent.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },

    /// Serve the HTTP API: /healthz, /api/v1/search (the query syntax of `search`),
    /// /api/v1/standards/{designation} (what `show --json` prints). Stops on Ctrl-C after
    /// finishing the requests in flight.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Load the demo data first when the store is empty.
        #[arg(long)]
        demo: bool,
    },

    /// Long work recorded in the store: imports, TMX imports, reindexing and
    /// pre-translations, with their progress and outcome (a job whose process was killed
    /// shows as interrupted).
    Jobs {
        /// What to show.
        #[command(subcommand)]
        action: JobsCommand,
    },

    /// Benchmarks.
    Bench {
        /// What to measure.
        #[command(subcommand)]
        what: BenchCommand,
    },

    /// Split text into sentences (SRX rules) and, with --words, Chinese sentences into
    /// words (jieba with the domain dictionary and any user dictionary).
    ///
    /// The built-in rules know Chinese full-width punctuation (。！？；), abbreviations
    /// (e.g., No., Fig., т. е., p. ex.) and clause numbers (4.2.1). Each line of the input
    /// is a paragraph.
    Segment {
        /// The text; read from --file or standard input when absent.
        text: Option<String>,
        /// Language of the text (BCP 47: zh-CN, en, ru, fr…).
        #[arg(long, default_value = "zh-CN")]
        lang: String,
        /// Also cut each sentence into words (printed separated by spaces).
        #[arg(long)]
        words: bool,
        /// SRX 2.0 rules to use instead of the built-in ones.
        #[arg(long, value_name = "FILE")]
        srx: Option<PathBuf>,
        /// A jieba user dictionary (word [frequency] [tag] per line).
        #[arg(long, value_name = "FILE")]
        dict: Option<PathBuf>,
        /// Keep the terms of these termbases whole (their Chinese terms are added to the
        /// segmenter's dictionary).
        #[arg(long, value_delimiter = ',')]
        termbase: Vec<String>,
        /// Read the text from a file.
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        /// Print JSON: [{"text", "start", "end", "words"}].
        #[arg(long)]
        json: bool,
    },

    /// Pre-translate a document (DOCX, XLIFF, HTML, Markdown, text) with memories, a
    /// termbase and an engine, and write it back in its own format.
    ///
    /// Each segment takes the exact match, else the best fuzzy match at or above
    /// --min-score, else the engine's output (`none` keeps the source; `pseudo` makes every
    /// translatable character visible, to test a document's round trip). Repetitions are
    /// translated once. Prints the analysis (words and characters per match band).
    Translate {
        /// The document.
        input: PathBuf,
        /// The translated document (same format).
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        #[command(flatten)]
        pipeline: PipelineArgs,
        /// Also write the bilingual XLIFF 2.0 (with matches and terms) here.
        #[arg(long, value_name = "FILE")]
        xliff: Option<PathBuf>,
        /// Write the analysis and what each segment got as JSON here.
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// Fix translations whose inline codes do not fit (dropped codes added at the end,
        /// unknown ones removed) instead of refusing them.
        #[arg(long)]
        repair: bool,
    },

    /// Extract a document to XLIFF 2.0 for another CAT tool (the original is embedded, so
    /// `stdbridge merge` needs only the XLIFF). With --tm or --engine, targets are
    /// pre-filled as `translate` does.
    Extract {
        /// The document.
        input: PathBuf,
        /// The XLIFF file to write.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        #[command(flatten)]
        pipeline: PipelineArgs,
    },

    /// Merge a translated XLIFF (written by `extract` or `translate`) back into its
    /// original document.
    Merge {
        /// The XLIFF.
        input: PathBuf,
        /// The translated document.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// Fix translations whose inline codes do not fit instead of refusing them.
        #[arg(long)]
        repair: bool,
    },

    /// Analyse documents against memories: segments, words and characters per match band
    /// (repetitions, 100%, 95-99, 85-94, 75-84, 50-74, no match). CJK characters count as
    /// words, as translators bill them.
    Analyze {
        /// The documents.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        pipeline: PipelineArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },

    /// Check translations the way a standards translator must: verbal forms of
    /// requirement (应 = shall, 宜 = should, 可 = may… per ISO/IEC Directives Part 2 and
    /// GB/T 1.1-2020 Annex C), numbers, units, cited designations (and, from the
    /// catalogue, withdrawn or replaced editions), termbase terms, inline codes,
    /// untranslated and inconsistent segments, punctuation and white space.
    ///
    /// Reads XLIFF 1.2/2.x and TMX files, or a translated document (DOCX, HTML, Markdown,
    /// text) checked paragraph by paragraph against its original (--source). Exit status 1
    /// when a finding is an error.
    Qa {
        /// The files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Source language (default: the file's).
        #[arg(long)]
        from: Option<String>,
        /// Target language (default: the file's).
        #[arg(long)]
        to: Option<String>,
        /// Termbases whose terms the translation must use.
        #[arg(long, value_delimiter = ',')]
        termbase: Vec<String>,
        /// Verbal-form rules: `standards` (ISO/IEC, GB/T 1.1: 必须/must flagged) or
        /// `construction` (GB 50xxx codes: 必须 = must, 严禁 = must not). Default: told
        /// from the document's designation.
        #[arg(long, value_name = "RULES")]
        rules: Option<String>,
        /// Run only these checks (verbal-form, number, unit, designation, term, code,
        /// untranslated, inconsistency, punctuation, whitespace).
        #[arg(long = "check", value_delimiter = ',', value_name = "CHECK")]
        checks: Vec<String>,
        /// The original of a translated document.
        #[arg(long, value_name = "ORIGINAL")]
        source: Option<PathBuf>,
        /// Print JSON: {"checked", "findings": [{"file", "unit", "segment", "check",
        /// "severity", "message", "message_zh", "source_span", "target_span"}]}.
        #[arg(long)]
        json: bool,
    },

    /// Translate one line with a machine translation engine, checking the termbase's terms
    /// (exit status 3 when a required term is missing or a forbidden one used). Keys come
    /// from STDBRIDGE_LIBRETRANSLATE_KEY, STDBRIDGE_OPENAI_KEY and STDBRIDGE_DEEPL_KEY.
    Mt {
        /// The text.
        text: String,
        /// The engine: marian:DIR[#int8] (a local OPUS-MT model, or the name of one added
        /// with `models add`), libretranslate:URL, openai:URL[#MODEL], deepl[:URL], or pseudo.
        #[arg(long)]
        engine: String,
        /// Source language (BCP 47).
        #[arg(long, default_value = "zh-CN")]
        from: String,
        /// Target language (BCP 47).
        #[arg(long, default_value = "en")]
        to: String,
        /// Termbases whose terms the translation must use.
        #[arg(long, value_delimiter = ',')]
        termbase: Vec<String>,
    },

    /// Local machine translation models (Marian/OPUS-MT in the layout Helsinki-NLP
    /// publishes on Hugging Face), kept under the data directory's `models/`.
    Models {
        /// What to do.
        #[command(subcommand)]
        action: ModelsCommand,
    },

    /// Users of the server: add, list, change role, disable, issue API tokens.
    User {
        /// What to do.
        #[command(subcommand)]
        action: UserCommand,
    },

    /// Groups of users that memories and termbases are shared with.
    Group {
        /// What to do.
        #[command(subcommand)]
        action: GroupCommand,
    },

    /// Translation memories: import and export TMX, look up matches, search concordance.
    Tm {
        /// What to do.
        #[command(subcommand)]
        action: TmCommand,
    },

    /// Termbases: import TBX or CSV/TSV glossaries, export TBX, find terms in text.
    Term {
        /// What to do.
        #[command(subcommand)]
        action: TermCommand,
    },

    /// Generate a synthetic zh-CN → en translation memory as TMX (deterministic; learns
    /// vocabulary and sentence lengths from the TICO-19 memory shipped in the binary).
    GenTm {
        /// How many units.
        #[arg(long, default_value_t = 10_000)]
        units: u64,
        /// The random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file; standard output if absent.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },

    /// Rebuild the search index from the store.
    Reindex {
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },

    /// Counts of what the store holds.
    Stats {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },

    /// The store as a whole: copy it to another backend, check it.
    Store {
        /// What to do.
        #[command(subcommand)]
        action: StoreCommand,
    },

    /// The store's change log (what search indexes follow).
    Changes {
        /// Show changes after this sequence number.
        #[arg(long, default_value_t = 0)]
        since: i64,
        /// How many to show.
        #[arg(long, default_value_t = 50)]
        limit: i64,
        /// Print JSON Lines.
        #[arg(long)]
        json: bool,
    },
}

/// What `stdbridge store` does.
#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Copy a whole store into a new, empty one (SQLite ↔ PostgreSQL), in one
    /// transaction on the target, then compare the rows of every table on both sides.
    ///
    /// Example: `stdbridge store copy --from sqlite://data/stdbridge.sqlite --to
    /// postgres://stdbridge@db/stdbridge`. Search indexes are not copied: each node
    /// builds its own from the store's change log when it starts.
    Copy {
        /// The store to copy (sqlite://PATH or postgres://…).
        #[arg(long, value_name = "URL")]
        from: String,
        /// The empty store to copy into.
        #[arg(long, value_name = "URL")]
        to: String,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a store: every rule the store keeps (each standard has a source and its last
    /// change in the log, the log has no gaps, no orphan rows), every record readable,
    /// and the database engine's own checks. Exits with 1 when something is wrong.
    Check {
        /// The store (default: the configured one).
        #[arg(value_name = "URL")]
        url: Option<String>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

fn parse_format(text: &str) -> Result<ImportFormat, String> {
    ImportFormat::from_name(text).ok_or_else(|| {
        let names: Vec<&str> = ImportFormat::ALL.iter().map(|(n, _)| *n).collect();
        format!("unknown format {text:?}; one of {}", names.join(", "))
    })
}

/// What `stdbridge tm` does.
#[derive(Debug, Subcommand)]
pub enum TmCommand {
    /// List the translation memories.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Make an empty memory.
    Create {
        /// Its name.
        name: String,
        /// Its owner.
        #[arg(long)]
        owner: Option<String>,
        /// Who may read it besides its owner: nobody (private), the users it is shared
        /// with (shared), or every signed-in user (public: the shared corpus).
        #[arg(long, value_enum, default_value = "private")]
        visibility: VisibilityArg,
        /// A description.
        #[arg(long)]
        description: Option<String>,
    },
    /// Delete a memory and its units.
    Delete {
        /// Its name.
        name: String,
    },
    /// Import TMX files (1.1–1.4b; .gz too) into a memory, made if missing. Each file is
    /// stored in one transaction: a file that is not well-formed stores nothing. Units
    /// that repeat stored ones are merged; unusable units are listed with their line.
    Import {
        /// The memory.
        #[arg(long)]
        tm: String,
        /// TMX files.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Export a memory as TMX 1.4b.
    Export {
        /// The memory.
        #[arg(long)]
        tm: String,
        /// Output file; standard output if absent.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Exact and fuzzy matches for a segment, best first, with what differs marked.
    Lookup {
        /// Memories to look in (repeat or separate with commas; all when absent).
        #[arg(long, value_delimiter = ',')]
        tm: Vec<String>,
        /// Source language of the text.
        #[arg(long, default_value = "zh-CN")]
        src: String,
        /// Language of the translations.
        #[arg(long, default_value = "en")]
        tgt: String,
        /// Most matches.
        #[arg(long, default_value_t = 5)]
        limit: usize,
        /// Lowest score (0–100).
        #[arg(long, default_value_t = 50)]
        min_score: u8,
        /// Print JSON (see the README).
        #[arg(long)]
        json: bool,
        /// The segment.
        text: String,
    },
    /// Units whose source or target holds a word or phrase (any substring for Chinese).
    Concordance {
        /// Memories to look in (all when absent).
        #[arg(long, value_delimiter = ',')]
        tm: Vec<String>,
        /// Most hits.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// The phrase.
        text: String,
    },
    /// Rebuild the TM index from the store.
    Reindex,
}

/// What `stdbridge term` does.
#[derive(Debug, Subcommand)]
pub enum TermCommand {
    /// List the termbases.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Import a TBX file (v3 TBX-Basic DCA/DCT, v2 martif) or a CSV/TSV glossary into a
    /// termbase, made if missing; one transaction per file.
    Import {
        /// The termbase.
        #[arg(long)]
        termbase: String,
        /// Language of a headerless glossary's first column.
        #[arg(long)]
        src: Option<String>,
        /// Language of a headerless glossary's second column.
        #[arg(long)]
        tgt: Option<String>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Files.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Export a termbase as TBX v3 (TBX-Basic, DCA style).
    Export {
        /// The termbase.
        #[arg(long)]
        termbase: String,
        /// Output file; standard output if absent.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Find the termbase's terms in a text: spans, the target terms to use, and warnings
    /// for deprecated or forbidden terms.
    Find {
        /// Termbases (repeat or separate with commas).
        #[arg(long, value_delimiter = ',', required = true)]
        termbase: Vec<String>,
        /// Language of the text.
        #[arg(long, default_value = "zh-CN")]
        lang: String,
        /// Language of the equivalents.
        #[arg(long, default_value = "en")]
        tgt: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// The text.
        text: String,
    },
    /// Read the terms-and-definitions clause (clause 3) of a bilingual standard (an XLIFF
    /// of the standard and its translation, or a TMX) into termbase entries with both
    /// languages, definitions, notes and their source; prints them for review and writes
    /// them as TBX to import with `term import` once reviewed.
    Extract {
        /// Bilingual files.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Source language (default: the file's).
        #[arg(long)]
        from: Option<String>,
        /// Target language (default: the file's).
        #[arg(long)]
        to: Option<String>,
        /// The standard the entries come from (default: the file's name).
        #[arg(long, value_name = "DESIGNATION")]
        standard: Option<String>,
        /// The TBX file to write.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Print the entries as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// What `stdbridge bench` measures.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Search at scale: generates a catalogue (as gen-catalog does), imports it, builds
    /// the search index and an SQLite FTS5 baseline over the same standards, then runs
    /// the same queries of each class (designations, undated designations, English and
    /// Chinese title words, typos, filters) through both. Prints build times and sizes,
    /// latencies (p50, p99), speed-ups against FTS5 and how often each engine finds the
    /// standard a query was made from.
    Search {
        /// How many records to generate.
        #[arg(long, default_value_t = 100_000)]
        records: usize,
        /// Generator seed; the queries are drawn from it too.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Queries per class.
        #[arg(long, default_value_t = 200)]
        queries: usize,
        /// Working directory, emptied first (default: a directory in the system's
        /// temporary directory).
        #[arg(long, value_name = "DIR")]
        work_dir: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The store at scale: generates a catalogue in files of --file-records records and
    /// imports it into SQLite and into PostgreSQL (a scratch database made on the server
    /// that the global --database-url names, and dropped after), with a second
    /// PostgreSQL node's search index following the change log meanwhile; then shows and
    /// searches a sample of standards on both. Prints import rates, show and search
    /// latencies (p50, p99) with PostgreSQL's ratio to SQLite, and the follower's lag.
    ///
    /// Example: `stdbridge bench store --records 100000 --database-url
    /// postgres://postgres@127.0.0.1/test`.
    Store {
        /// How many records to generate.
        #[arg(long, default_value_t = 100_000)]
        records: usize,
        /// Generator seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Records per imported file (each file is one transaction).
        #[arg(long, default_value_t = 20_000)]
        file_records: usize,
        /// Standards shown and searched on each backend.
        #[arg(long, default_value_t = 500)]
        probes: usize,
        /// Working directory, emptied first (default: a directory in the system's
        /// temporary directory).
        #[arg(long, value_name = "DIR")]
        work_dir: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Quality checks at scale: generates a zh-CN → en XLIFF 2.0 of standards sentences
    /// and runs `qa` over it (every check, the catalogue consulted), against reading the
    /// XLIFF alone, in alternating rounds. Prints the time, segments per second and the
    /// check ÷ read ratio.
    Qa {
        /// Segments in the XLIFF.
        #[arg(long, default_value_t = 24_000)]
        segments: u64,
        /// Generator seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Alternating rounds (the median is reported).
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Translation memory at scale: generates a zh-CN → en memory (as gen-tm does),
    /// writes it as TMX and imports it, then looks up near-duplicates of stored units
    /// (1–30 % of their characters edited) through the index, and a sample of them by
    /// brute force (every unit scored). Prints import time, index size, lookup latency
    /// (p50/p95/p99), recall@1 against brute force and the speed-up over it.
    Tm {
        /// How many units.
        #[arg(long, default_value_t = 100_000)]
        units: u64,
        /// Generator seed; queries are drawn from it too.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Lookups through the index.
        #[arg(long, default_value_t = 1000)]
        queries: usize,
        /// How many of them are also answered by brute force (for recall and speed-up).
        #[arg(long, default_value_t = 200)]
        brute_force: usize,
        /// Also answer them with PostgreSQL's pg_trgm similarity search (a GIN trigram
        /// index, as Weblate does) in this database (e.g. postgres://postgres@127.0.0.1/test);
        /// the table stdbridge_bench_tm is made there and dropped after.
        #[arg(long, value_name = "URL")]
        postgres: Option<String>,
        /// Working directory, emptied first.
        #[arg(long, value_name = "DIR")]
        work_dir: Option<PathBuf>,
        /// Use the memory a previous run left in the working directory.
        #[arg(long)]
        reuse: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Documents: generates a Chinese standard of PAGES pages as DOCX (numbered clauses,
    /// bold designations, cross-reference fields, footnotes, tables), then extracts it and
    /// merges a pseudo-translation back. Prints the median times and the ratio to the
    /// least a merge must do (inflate and deflate every part).
    Docs {
        /// Pages (about 2,100 characters of text each, as LibreOffice lays them out).
        #[arg(long, default_value_t = 300)]
        pages: usize,
        /// Generator seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Timed runs; the median is reported.
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Also write the generated document here.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Machine translation: the built-in engine on a Marian model directory, greedy and beam
    /// search, for each batch size and thread count, with every output exactly LENGTH
    /// tokens long. Prints sentences and output tokens per second; with `--ct2 PYTHON`
    /// (a Python with ctranslate2 and transformers), CTranslate2 on the same model and
    /// inputs in float32 and int8, and the ratios.
    Mt {
        /// The model directory (Hugging Face OPUS-MT layout).
        #[arg(long, value_name = "DIR")]
        model: PathBuf,
        /// Batch sizes.
        #[arg(long, value_delimiter = ',', default_values_t = [1, 16, 32])]
        batches: Vec<usize>,
        /// Beam sizes (1 = greedy).
        #[arg(long, value_delimiter = ',', default_values_t = [1, 4])]
        beams: Vec<usize>,
        /// Thread counts.
        #[arg(long, value_delimiter = ',', default_values_t = [1, 2])]
        threads: Vec<usize>,
        /// Output tokens per sentence.
        #[arg(long, default_value_t = 64)]
        length: usize,
        /// Compute types of the built-in engine: float32, int8.
        #[arg(long, value_delimiter = ',', default_values_t = [Compute::Float32, Compute::Int8])]
        compute: Vec<Compute>,
        /// Generator seed for the source sentences.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// A Python interpreter with ctranslate2 and transformers, to compare with.
        #[arg(long, value_name = "PYTHON")]
        ct2: Option<PathBuf>,
        /// Working directory (inputs, CTranslate2's converted model).
        #[arg(long, value_name = "DIR")]
        work_dir: Option<PathBuf>,
        /// Rounds: each thread count runs stdbridge, then CTranslate2, this many times;
        /// each cell's ratio is the median of the rounds' ratios (with their range).
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Internal: measure in this process, on these inputs.
        #[arg(long, hide = true, value_name = "FILE")]
        inputs: Option<PathBuf>,
    },
    /// The search endpoint under load over loopback: generates and indexes a catalogue
    /// as `bench search` does, serves it in this process, and sends the same six classes
    /// of queries from CONCURRENCY clients for SECONDS. Prints requests per second and
    /// latency (p50, p99), then the latency of suggestions for what a search box sends.
    Http {
        /// How many records to generate.
        #[arg(long, default_value_t = 100_000)]
        records: usize,
        /// Generator seed; the queries are drawn from it too.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Distinct queries per class.
        #[arg(long, default_value_t = 200)]
        queries: usize,
        /// Clients sending at once.
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
        /// Seconds of load.
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        /// Search without facet counts (`facets=false`); the web UI asks for them.
        #[arg(long)]
        no_facets: bool,
        /// Working directory, emptied first.
        #[arg(long, value_name = "DIR")]
        work_dir: Option<PathBuf>,
        /// Use the catalogue a previous run left in the working directory.
        #[arg(long)]
        reuse: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// What the document commands translate with.
#[derive(Debug, Clone, clap::Args)]
pub struct PipelineArgs {
    /// Source language (BCP 47).
    #[arg(long, default_value = "zh-CN")]
    pub from: String,
    /// Target language (BCP 47).
    #[arg(long, default_value = "en")]
    pub to: String,
    /// Translation memories to use (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    pub tm: Vec<String>,
    /// Termbases whose terms are listed with each unit of the XLIFF.
    #[arg(long, value_delimiter = ',')]
    pub termbase: Vec<String>,
    /// Engine for segments without a good enough match: none, pseudo, marian:DIR[#int8]
    /// (the built-in engine on a local OPUS-MT model), libretranslate:URL,
    /// openai:URL[#MODEL] (any OpenAI-compatible server) or deepl[:URL]; the termbase's
    /// terms are required of its output. Keys come from STDBRIDGE_LIBRETRANSLATE_KEY,
    /// STDBRIDGE_OPENAI_KEY and STDBRIDGE_DEEPL_KEY.
    #[arg(long, default_value = "none")]
    pub engine: String,
    /// Lowest fuzzy score used as a translation.
    #[arg(long, default_value_t = 75, value_parser = clap::value_parser!(u8).range(50..=100))]
    pub min_score: u8,
    /// XLIFF version written by `extract` and `--xliff`: 2.0, or 1.2 for tools that read
    /// it better (segments as `<mrk mtype="seg">`, matches as `<alt-trans>`).
    #[arg(long, default_value = "2.0", value_parser = ["2.0", "1.2"])]
    pub xliff_version: String,
    /// DOCX: accept tracked changes (default: keep them as codes).
    #[arg(long)]
    pub accept_changes: bool,
    /// DOCX: translate comments too.
    #[arg(long)]
    pub comments: bool,
}

/// `stdbridge jobs …`.
#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// The latest jobs (imports, TMX imports, reindexing, pre-translations), newest first.
    List {
        /// How many.
        #[arg(long, default_value_t = 20)]
        limit: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// One job: its state, progress, result or error.
    Show {
        /// The job's id.
        id: i64,
        /// Print JSON (what `GET /api/v1/jobs/{id}` answers).
        #[arg(long)]
        json: bool,
    },
}

/// `stdbridge models …`.
#[derive(Debug, Subcommand)]
pub enum ModelsCommand {
    /// The models, each checked, with its architecture.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a model directory (config.json, model.safetensors or pytorch_model.bin,
    /// source.spm, target.spm, vocab.json) and copy it into the data directory.
    Add {
        /// The directory, as downloaded from Hugging Face.
        dir: PathBuf,
        /// Its name here (default: the directory's name).
        #[arg(long)]
        name: Option<String>,
    },
}

/// Who may read a memory or termbase besides its owner.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum VisibilityArg {
    /// Its owner only.
    Private,
    /// Its owner and the users it is shared with.
    Shared,
    /// Every signed-in user (the shared corpus).
    Public,
}

impl From<VisibilityArg> for stdbridge_app::model::Visibility {
    fn from(arg: VisibilityArg) -> Self {
        use stdbridge_app::model::Visibility;
        match arg {
            VisibilityArg::Private => Visibility::Private,
            VisibilityArg::Shared => Visibility::Shared,
            VisibilityArg::Public => Visibility::Public,
        }
    }
}

/// A user's role.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum RoleArg {
    /// Everything: users, the catalogue, the shared corpus.
    Admin,
    /// A translator who also reviews.
    Reviewer,
    /// Makes and writes their own memories and termbases.
    Translator,
    /// Reads what is visible to them.
    Reader,
}

impl From<RoleArg> for stdbridge_app::model::Role {
    fn from(arg: RoleArg) -> Self {
        use stdbridge_app::model::Role;
        match arg {
            RoleArg::Admin => Role::Admin,
            RoleArg::Reviewer => Role::Reviewer,
            RoleArg::Translator => Role::Translator,
            RoleArg::Reader => Role::Reader,
        }
    }
}

/// What an API token allows.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ScopeArg {
    /// Reading only.
    Read,
    /// Reading and writing, as far as the role allows.
    Write,
}

impl From<ScopeArg> for stdbridge_app::model::TokenScope {
    fn from(arg: ScopeArg) -> Self {
        use stdbridge_app::model::TokenScope;
        match arg {
            ScopeArg::Read => TokenScope::Read,
            ScopeArg::Write => TokenScope::Write,
        }
    }
}

/// `stdbridge group …`.
#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Make a group.
    Add {
        /// The group's name (letters, digits, '.', '_', '-').
        name: String,
    },
    /// List the groups and their members.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Delete a group: what was shared with it is no longer shared with its members.
    Rm {
        /// The group's name.
        name: String,
    },
    /// Add a user to a group.
    AddMember {
        /// The group's name.
        group: String,
        /// The user's name.
        user: String,
    },
    /// Take a user out of a group.
    RemoveMember {
        /// The group's name.
        group: String,
        /// The user's name.
        user: String,
    },
}

/// `stdbridge user …`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user. The password is read from standard input (one line) with
    /// --password-stdin; without it the user signs in only with API tokens.
    Add {
        /// The user name (letters, digits, '.', '_', '-', '@').
        name: String,
        /// The role.
        #[arg(long, value_enum, default_value = "translator")]
        role: RoleArg,
        /// An e-mail address.
        #[arg(long)]
        email: Option<String>,
        /// Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the users.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Give a user another role.
    SetRole {
        /// The user name.
        name: String,
        /// The new role.
        #[arg(value_enum)]
        role: RoleArg,
    },
    /// Disable a user: they cannot sign in, their sessions end, their tokens stop working.
    Disable {
        /// The user name.
        name: String,
    },
    /// Enable a disabled user again.
    Enable {
        /// The user name.
        name: String,
    },
    /// Set a user's password (read from standard input, one line).
    Password {
        /// The user name.
        name: String,
    },
    /// Issue a personal API token and print it (one line, shown only now).
    Token {
        /// The user name.
        name: String,
        /// What the token allows.
        #[arg(long, value_enum, default_value = "read")]
        scope: ScopeArg,
        /// A label to tell tokens apart.
        #[arg(long)]
        label: Option<String>,
    },
    /// List a user's tokens (never their secrets).
    Tokens {
        /// The user name.
        name: String,
    },
    /// Revoke one of a user's tokens.
    Revoke {
        /// The user name.
        name: String,
        /// The token's id (from `user tokens`).
        id: i64,
    },
}
