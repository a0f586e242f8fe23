//! Reading payment-provider sales exports (spec §7): which export a file
//! is (by its header row), and each record as a [`Row`] with exact amounts.
//! Nothing is dropped: a record that cannot be read becomes a [`Problem`]
//! with its file and line.

mod formats;
mod parse;

use std::io::Read;
use std::path::Path;

use jiff::Timestamp;

use formats::{CurrencyFrom, PAYPAL_LOCALISED};
pub use formats::{FORMATS, Format};
pub use parse::{amount, timestamp};

use crate::diagnostics::Diagnostic;
use crate::model::Currency;

/// Largest export read, so a wrong path (a disk image…) fails fast.
const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// Whether a payment is money in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Paid (refunded or not): counts in revenue.
    Counted,
    /// Failed, pending, disputed…: listed under `excluded` with this reason.
    Excluded(String),
}

/// One payment (or PayPal refund) read from an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The file as given on the command line.
    pub file: String,
    /// 1-based line the record starts on (the header is line 1).
    pub line: u64,
    /// Provider name (`gumroad`…).
    pub provider: &'static str,
    /// The payment's id in the export.
    pub id: String,
    /// When it was paid.
    pub when: Timestamp,
    /// The values of the product columns, in the format's order.
    pub products: Vec<String>,
    /// The currency of every amount below.
    pub currency: Currency,
    /// What the buyer paid, minor units (0 for a refund row).
    pub gross: i128,
    /// Refunded on this payment, or by this refund row (≥ 0).
    pub refunded: i128,
    /// Processor fee charged (negative when a refund gives fees back).
    pub fee: i128,
    /// Units sold (1 unless the export has a quantity).
    pub quantity: u64,
    /// True for a row that records a refund of another payment (PayPal).
    pub is_refund: bool,
    /// The payment a refund row refers to.
    pub reference: Option<String>,
    /// Counted or excluded.
    pub state: State,
    /// Coupon code used.
    pub coupon: Option<String>,
    /// Referrer.
    pub referrer: Option<String>,
    /// `utm_source`.
    pub utm_source: Option<String>,
    /// `utm_medium`.
    pub utm_medium: Option<String>,
    /// `utm_campaign`.
    pub utm_campaign: Option<String>,
}

/// A record that could not be read as a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file as given.
    pub file: String,
    /// 1-based line the record starts on.
    pub line: u64,
    /// Why, in plain words.
    pub reason: String,
}

/// One export read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The file as given.
    pub file: String,
    /// Which export it is (`Gumroad sales CSV`).
    pub format: &'static str,
    /// Provider name.
    pub provider: &'static str,
    /// Records below the header (summary rows included).
    pub records: usize,
    /// Payments read.
    pub rows: Vec<Row>,
    /// Records that are not payments or could not be read.
    pub problems: Vec<Problem>,
    /// Summary rows skipped (Gumroad's `Totals`).
    pub skipped: Vec<u64>,
}

/// Reads the export at `path`, shown as `label` in messages. `Err` when
/// the file cannot be read or is not a known export: a message naming the
/// file, the header seen and what was expected.
pub fn read_file(path: &Path, label: &str) -> Result<Export, Diagnostic> {
    let meta =
        std::fs::metadata(path).map_err(|e| fail(label, None, format!("cannot read: {e}")))?;
    if !meta.is_file() {
        return Err(fail(
            label,
            None,
            "not a regular file; give the CSV file you downloaded".into(),
        ));
    }
    if meta.len() > MAX_BYTES {
        return Err(fail(
            label,
            None,
            format!(
                "{} bytes is more than a sales export kpsite reads ({MAX_BYTES})",
                meta.len()
            ),
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| fail(label, None, format!("cannot read: {e}")))?;
    read_bytes(&bytes, label)
}

/// An error about an export, on line `line` when known.
fn fail(label: &str, line: Option<usize>, message: String) -> Diagnostic {
    Diagnostic::at(label, line.map(|l| (l, 1)), message)
}

/// Reads an export from its bytes; see [`read_file`].
pub fn read_bytes(bytes: &[u8], label: &str) -> Result<Export, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(fail(
            label,
            Some(1),
            "the file is UTF-16; export it again as CSV (UTF-8), or save it from a spreadsheet as \"CSV UTF-8\"".into(),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = 1 + bytes[..at].iter().filter(|b| **b == b'\n').count();
        fail(
            label,
            Some(line),
            format!("not UTF-8 text (byte {at}); export it again as CSV (UTF-8)"),
        )
    })?;
    if text.trim().is_empty() {
        return Err(fail(
            label,
            Some(1),
            "the file is empty; expected a sales export with a header row".into(),
        ));
    }
    let delimiter = guess_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header: Vec<String> = match records.next() {
        Some(Ok(h)) => h.iter().map(|c| c.trim().to_string()).collect(),
        Some(Err(e)) => {
            return Err(fail(
                label,
                Some(1),
                format!("the header row does not read as CSV: {e}"),
            ));
        }
        None => return Err(fail(label, Some(1), "no header row".into())),
    };
    let format = recognise(&header).map_err(|why| fail(label, Some(1), why))?;
    let cols = Columns::new(format, &header);
    let mut export = Export {
        file: label.to_string(),
        format: format.export,
        provider: format.provider,
        records: 0,
        rows: Vec::new(),
        problems: Vec::new(),
        skipped: Vec::new(),
    };
    // Lines from byte offsets: a record's line is 1 + the newlines before
    // it, embedded ones in quoted fields included. After a CRLF the reader
    // may report the record as starting on the `\n`, hence `<=`.
    let newlines: Vec<usize> = memchr::memchr_iter(b'\n', text.as_bytes()).collect();
    let line_at = |byte: u64| 1 + newlines.partition_point(|&n| (n as u64) <= byte) as u64;
    let mut last_line = 1;
    // No final newline and an odd number of quotes: the file ends inside a
    // quoted field, so the download was cut short and its last record is
    // not whole.
    let cut_short =
        !text.ends_with('\n') && memchr::memchr_iter(b'"', text.as_bytes()).count() % 2 == 1;
    let mut records = records.peekable();
    while let Some(record) = records.next() {
        if cut_short && records.peek().is_none() {
            let line = match &record {
                Ok(r) => r.position().map_or(last_line + 1, |p| line_at(p.byte())),
                Err(e) => e.position().map_or(last_line + 1, |p| line_at(p.byte())),
            };
            export.records += 1;
            export.problems.push(Problem {
                file: label.to_string(),
                line,
                reason: "the file ends inside a quoted field: this record was cut short; download the export again".into(),
            });
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(last_line + 1, |p| line_at(p.byte()));
                export.records += 1;
                export.problems.push(Problem {
                    file: label.to_string(),
                    line,
                    reason: format!("does not read as CSV: {e}"),
                });
                continue;
            }
        };
        let line = record
            .position()
            .map_or(last_line + 1, |p| line_at(p.byte()));
        last_line = line;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        export.records += 1;
        if let Some(word) = format.totals_row {
            if record
                .get(0)
                .is_some_and(|c| c.trim().eq_ignore_ascii_case(word))
                || record
                    .iter()
                    .find(|c| !c.trim().is_empty())
                    .is_some_and(|c| c.trim().eq_ignore_ascii_case(word))
            {
                export.skipped.push(line);
                continue;
            }
        }
        let problem = |reason: String| Problem {
            file: label.to_string(),
            line,
            reason,
        };
        if record.len() != header.len() {
            export.problems.push(problem(format!(
                "has {} fields but the header has {}: the record is cut short or has a stray separator",
                record.len(),
                header.len()
            )));
            continue;
        }
        let cells: Vec<&str> = record.iter().collect();
        match cols.row(format, &cells, delimiter == b';') {
            Ok(Some(mut row)) => {
                row.file = label.to_string();
                row.line = line;
                export.rows.push(row);
            }
            Ok(None) => {}
            Err(reason) => export.problems.push(problem(reason)),
        }
    }
    Ok(export)
}

/// `,`, `;` or tab: whichever appears most in the first line, outside quotes.
fn guess_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], i == 0)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

fn find(header: &[String], names: &[&str]) -> Option<usize> {
    names
        .iter()
        .find_map(|n| header.iter().position(|h| h.trim().eq_ignore_ascii_case(n)))
}

/// Which export `header` is, or a message saying what was seen and expected.
fn recognise(header: &[String]) -> Result<&'static Format, String> {
    if let Some(f) = FORMATS
        .iter()
        .find(|f| f.signature.iter().all(|s| find(header, &[s]).is_some()))
    {
        return Ok(f);
    }
    let shown: Vec<&str> = header.iter().take(8).map(String::as_str).collect();
    let more = if header.len() > 8 { ", …" } else { "" };
    let seen = format!("the header row is `{}{more}`", shown.join(", "));
    if let Some((_, lang)) = PAYPAL_LOCALISED
        .iter()
        .find(|(w, _)| find(header, &[w]).is_some())
    {
        let paypal = FORMATS
            .iter()
            .find(|f| f.provider == "paypal")
            .expect("PayPal is a format");
        let missing: Vec<&str> = paypal
            .signature
            .iter()
            .copied()
            .filter(|s| find(header, &[s]).is_none())
            .collect();
        let foreign: Vec<String> = header
            .iter()
            .filter(|h| {
                PAYPAL_LOCALISED
                    .iter()
                    .any(|(w, _)| h.eq_ignore_ascii_case(w))
            })
            .map(|h| format!("`{h}`"))
            .collect();
        return Err(format!(
            "not a known sales export: {seen}; header {} looks like a PayPal activity export in {lang}, and kpsite did not find the English column{} `{}`. kpsite reads PayPal's English headers: set PayPal's language to English and download the activity CSV again",
            foreign.join(", "),
            if missing.len() == 1 { "" } else { "s" },
            missing.join("`, `")
        ));
    }
    // The closest format: the one with the most signature columns present.
    let best = FORMATS
        .iter()
        .max_by_key(|f| {
            f.signature
                .iter()
                .filter(|s| find(header, &[s]).is_some())
                .count()
        })
        .expect("there are formats");
    let found = best
        .signature
        .iter()
        .filter(|s| find(header, &[s]).is_some())
        .count();
    let expected: Vec<String> = FORMATS
        .iter()
        .map(|f| format!("{} (columns {})", f.export, f.signature.join(", ")))
        .collect();
    let mut msg = format!(
        "not a known sales export: {seen}; expected one of: {}",
        expected.join("; ")
    );
    if found > 0 {
        let missing: Vec<&str> = best
            .signature
            .iter()
            .copied()
            .filter(|s| find(header, &[s]).is_none())
            .collect();
        msg.push_str(&format!(
            ". Closest: {}, missing {} — download it as {}",
            best.export,
            missing.join(", "),
            best.how
        ));
    }
    Err(msg)
}

/// The column index of each field of a format in one file's header.
struct Columns {
    id: Option<usize>,
    date: Option<usize>,
    time: Option<usize>,
    zone: Option<usize>,
    products: Vec<usize>,
    gross: Option<usize>,
    currency: Result<Option<usize>, Currency>,
    converted: Option<[Option<usize>; 3]>,
    fee: Option<usize>,
    refunded: Option<usize>,
    refunded_flag: Option<usize>,
    status: Option<usize>,
    disputed: Option<usize>,
    dispute_won: Option<usize>,
    kind: Option<usize>,
    reference: Option<usize>,
    quantity: Option<usize>,
    coupon: Option<usize>,
    referrer: Option<usize>,
    utm: [Option<usize>; 3],
}

impl Columns {
    fn new(f: &Format, header: &[String]) -> Columns {
        let at = |names: &[&str]| find(header, names);
        let gross = at(f.gross);
        let currency = match f.currency {
            CurrencyFrom::Column(names) => Ok(at(names)),
            CurrencyFrom::AmountHeader => Err(gross
                .map(|i| currency_in_header(&header[i]))
                .unwrap_or_else(usd)),
        };
        Columns {
            id: at(f.id),
            date: at(f.date),
            time: at(f.time),
            zone: at(f.zone),
            products: f.products.iter().filter_map(|p| at(&[p])).collect(),
            gross,
            currency,
            converted: f.converted.map(|[a, r, c]| [at(a), at(r), at(c)]),
            fee: at(f.fee),
            refunded: at(f.refunded),
            refunded_flag: at(f.refunded_flag),
            status: at(f.status),
            disputed: at(f.disputed),
            dispute_won: at(f.dispute_won),
            kind: at(f.kind),
            reference: at(f.reference),
            quantity: at(f.quantity),
            coupon: at(f.coupon),
            referrer: at(f.referrer),
            utm: [at(f.utm_source), at(f.utm_medium), at(f.utm_campaign)],
        }
    }

    /// One record as a payment; `Err` says why it is not one.
    fn row(&self, f: &Format, cells: &[&str], decimal_comma: bool) -> Result<Option<Row>, String> {
        let get = |i: Option<usize>| i.map(|i| cells[i].trim()).filter(|s| !s.is_empty());
        let text = |i: Option<usize>| get(i).map(str::to_string);
        let kind = get(self.kind).unwrap_or_default();
        let kind_lc = kind.to_ascii_lowercase();
        let is_refund_kind = kind_lc.contains("refund") || kind_lc.contains("reversal");
        if self.kind.is_some() && !is_refund_kind && !is_payment_kind(&kind_lc) {
            return Err(format!(
                "a `{}` row, not a payment for a product",
                parse::short(kind)
            ));
        }
        let mut currency = match &self.currency {
            Err(c) => *c,
            Ok(i) => {
                let code = get(*i).ok_or("no currency")?.to_ascii_uppercase();
                Currency::from_code(&code)?
            }
        };
        let read = |t: &str, c: Currency| match minor_units(t, f.whole_is_minor) {
            Some(minor) => Ok(Some(minor)),
            None => amount(t, c, decimal_comma),
        };
        let money = |i: Option<usize>, c: Currency, what: &str| -> Result<i128, String> {
            match get(i) {
                None => Ok(0),
                Some(t) => read(t, c)
                    .map(|v| v.unwrap_or(0))
                    .map_err(|e| format!("{what}: {e}")),
            }
        };
        let (mut gross_col, mut refunded_col) = (self.gross, self.refunded);
        if let Some([a, r, c]) = self.converted {
            if let Some(code) = get(c).map(str::to_ascii_uppercase) {
                let settled = Currency::from_code(&code)?;
                if settled != currency && get(a).is_some() {
                    currency = settled;
                    gross_col = a;
                    refunded_col = r;
                }
            }
        }
        let gross_text = get(gross_col).ok_or("no amount")?;
        let gross = read(gross_text, currency)
            .map_err(|e| format!("amount: {e}"))?
            .unwrap_or(0);
        let fee_raw = money(self.fee, currency, "fee")?;
        let fee = if f.fee_negative { -fee_raw } else { fee_raw };
        let mut refunded = money(refunded_col, currency, "refund")?.abs();
        if self.kind.is_some() && !is_refund_kind && gross < 0 {
            // PayPal lists money the seller paid out as a negative payment
            // (`Subscription Payment`, `Express Checkout Payment`…).
            return Err(format!(
                "a `{}` of {gross_text} paid by this account, not a sale",
                parse::short(kind)
            ));
        }
        let is_refund = is_refund_kind || gross < 0;
        if refunded == 0 && !is_refund && get(self.refunded_flag).is_some_and(parse::yes) {
            refunded = gross;
        }
        let (gross, refunded) = if is_refund {
            (0, gross.abs().max(refunded))
        } else {
            (gross, refunded)
        };
        let date = get(self.date).ok_or("no date")?;
        let when = timestamp(date, get(self.time), get(self.zone))?;
        let mut state = match get(self.status) {
            Some(s) => classify(s),
            None if self.status.is_some() => State::Excluded("no status".into()),
            None => State::Counted,
        };
        if get(self.disputed).is_some_and(parse::yes)
            && !get(self.dispute_won).is_some_and(parse::yes)
        {
            state = State::Excluded("disputed and not won".into());
        }
        let quantity = match get(self.quantity) {
            Some(q) => q
                .parse::<u64>()
                .ok()
                .filter(|q| *q > 0 && *q < 1_000_000)
                .ok_or_else(|| format!("quantity `{}` is not a whole number", parse::short(q)))?,
            None => 1,
        };
        Ok(Some(Row {
            file: String::new(),
            line: 0,
            provider: f.provider,
            id: text(self.id).unwrap_or_default(),
            when,
            products: self
                .products
                .iter()
                .filter_map(|i| text(Some(*i)))
                .collect(),
            currency,
            gross,
            refunded,
            fee,
            quantity,
            is_refund,
            reference: text(self.reference),
            state,
            coupon: text(self.coupon),
            referrer: text(self.referrer),
            utm_source: text(self.utm[0]),
            utm_medium: text(self.utm[1]),
            utm_campaign: text(self.utm[2]),
        }))
    }
}

fn usd() -> Currency {
    Currency::from_code("USD").expect("USD is known")
}

/// `Sale Price ($)` → USD, `(€)` → EUR, `(GBP)` → GBP; USD without one.
fn currency_in_header(h: &str) -> Currency {
    let inner = h
        .rsplit_once('(')
        .and_then(|(_, r)| r.strip_suffix(')'))
        .unwrap_or("")
        .trim();
    let code = match inner {
        "$" | "US$" => "USD",
        "€" => "EUR",
        "£" => "GBP",
        "¥" => "JPY",
        other => other,
    };
    Currency::from_code(&code.to_ascii_uppercase()).unwrap_or_else(|_| usd())
}

/// PayPal transaction types that are a buyer paying.
fn is_payment_kind(kind: &str) -> bool {
    kind.contains("payment") && !kind.contains("sent")
        || kind.contains("received")
        || kind.contains("checkout")
        || kind.contains("shopping cart")
}

/// Status words of the four exports, lower-cased: paid ones count, the
/// rest are listed under `excluded` with why.
fn classify(status: &str) -> State {
    let s = status.trim().to_ascii_lowercase().replace(['_', '-'], " ");
    const PAID: &[&str] = &[
        "paid",
        "succeeded",
        "success",
        "successful",
        "completed",
        "complete",
        "refunded",
        "partially refunded",
        "partial refund",
        "cleared",
        "captured",
    ];
    const PENDING: &[&str] = &[
        "pending",
        "processing",
        "incomplete",
        "uncaptured",
        "requires action",
        "unclaimed",
        "held",
        "on hold",
        "unpaid",
        "open",
    ];
    const FAILED: &[&str] = &[
        "failed",
        "canceled",
        "cancelled",
        "blocked",
        "declined",
        "denied",
        "expired",
        "void",
        "voided",
        "fraudulent",
        "requires payment method",
    ];
    const DISPUTED: &[&str] = &[
        "disputed",
        "dispute lost",
        "lost",
        "chargeback",
        "charged back",
        "reversed",
        "needs response",
        "under review",
    ];
    if PAID.contains(&s.as_str()) {
        State::Counted
    } else if PENDING.contains(&s.as_str()) {
        State::Excluded(format!("pending (status `{}`)", status.trim()))
    } else if FAILED.contains(&s.as_str()) {
        State::Excluded(format!("failed (status `{}`)", status.trim()))
    } else if DISPUTED.contains(&s.as_str()) {
        State::Excluded(format!("disputed (status `{}`)", status.trim()))
    } else {
        State::Excluded(format!(
            "status `{}` is not one kpsite counts as paid",
            parse::short(status.trim())
        ))
    }
}

/// `text` as minor units when the format writes whole numbers in cents
/// (`whole_is_minor`) and `text` is one: `1199` → 1199. None otherwise,
/// and for a number too long to be money.
fn minor_units(text: &str, whole_is_minor: bool) -> Option<i128> {
    let t = text.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let whole =
        !digits.is_empty() && digits.len() <= 30 && digits.bytes().all(|b| b.is_ascii_digit());
    (whole_is_minor && whole).then(|| t.parse().ok()).flatten()
}

#[cfg(test)]
mod tests;
