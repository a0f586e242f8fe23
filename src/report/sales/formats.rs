//! The exports kpsite reads, one table row per provider (spec §7). Each
//! row names the columns that recognise the export and the columns each
//! figure is read from; header names compare trimmed and case-insensitively.
//! Where each column list comes from is written in the README ("Sales
//! exports").

/// Where a row's currency comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurrencyFrom {
    /// A column holding an ISO code (`usd`, `EUR`).
    Column(&'static [&'static str]),
    /// The symbol or code in the amount column's header, e.g. Gumroad's
    /// `Sale Price ($)`; USD when the header has none.
    AmountHeader,
}

/// One export format.
#[derive(Debug)]
pub struct Format {
    /// Provider name, as in the manifest (`gumroad`).
    pub provider: &'static str,
    /// What the seller downloads, for messages.
    pub export: &'static str,
    /// Where to download it, for the "not a known export" message.
    pub how: &'static str,
    /// Columns that must all be present for a header to be this export.
    pub signature: &'static [&'static str],
    /// Payment id.
    pub id: &'static [&'static str],
    /// Date (or date and time) of the payment.
    pub date: &'static [&'static str],
    /// A separate time-of-day column, when the export splits them.
    pub time: &'static [&'static str],
    /// A time zone abbreviation column (PayPal).
    pub zone: &'static [&'static str],
    /// Columns compared with `payment.product`, in order.
    pub products: &'static [&'static str],
    /// The gross amount the buyer paid.
    pub gross: &'static [&'static str],
    /// The row's currency.
    pub currency: CurrencyFrom,
    /// Stripe's settlement columns: amount, refunded amount and currency
    /// in the account's currency, used when that differs from `currency`
    /// (the fee is always in it).
    pub converted: Option<[&'static [&'static str]; 3]>,
    /// The processor's fee.
    pub fee: &'static [&'static str],
    /// True when the export writes fees as negative numbers (PayPal).
    pub fee_negative: bool,
    /// Amount refunded on this payment.
    pub refunded: &'static [&'static str],
    /// A yes/no "refunded" flag: a full refund when no amount is given.
    pub refunded_flag: &'static [&'static str],
    /// Payment status.
    pub status: &'static [&'static str],
    /// A yes/no "disputed" flag, and whether the dispute was won.
    pub disputed: &'static [&'static str],
    /// Whether a dispute was won (then the sale counts).
    pub dispute_won: &'static [&'static str],
    /// Transaction type (PayPal: `Payment Received`, `Payment Refund`, …).
    pub kind: &'static [&'static str],
    /// The payment a refund row refers to (PayPal).
    pub reference: &'static [&'static str],
    /// Units in the row (default 1).
    pub quantity: &'static [&'static str],
    /// Coupon / discount code.
    pub coupon: &'static [&'static str],
    /// Referrer.
    pub referrer: &'static [&'static str],
    /// `utm_source`.
    pub utm_source: &'static [&'static str],
    /// `utm_medium`.
    pub utm_medium: &'static [&'static str],
    /// `utm_campaign`.
    pub utm_campaign: &'static [&'static str],
    /// A row whose first cell is this (case-insensitive) is a summary, not a sale.
    pub totals_row: Option<&'static str>,
    /// A whole number in a money column is in minor units (cents), as
    /// Lemon Squeezy documents its order fields (`total: 1199` is $11.99);
    /// an amount with a decimal mark is read as written.
    pub whole_is_minor: bool,
}

const NONE: &[&str] = &[];

/// Every known export. Order matters only for messages.
pub const FORMATS: &[Format] = &[
    Format {
        provider: "gumroad",
        export: "Gumroad sales CSV",
        how: "Gumroad → Analytics/Sales → Export (CSV)",
        signature: &["Purchase ID", "Item Name", "Purchase Date"],
        id: &["Purchase ID"],
        date: &["Purchase Date"],
        time: &["Purchase Time (UTC timezone)", "Purchase Time"],
        zone: NONE,
        products: &["Item Name", "Product ID", "Product Permalink"],
        gross: &["Sale Price ($)", "Sale Price"],
        currency: CurrencyFrom::AmountHeader,
        converted: None,
        fee: &["Fees ($)", "Fees"],
        fee_negative: false,
        refunded: &["Partial Refund ($)", "Partial Refund"],
        // Gumroad sets `Refunded?` for partial refunds too; `Fully Refunded?`
        // is the one that means "all of it" (its export service).
        refunded_flag: &["Fully Refunded?", "Refunded?"],
        status: NONE,
        disputed: &["Disputed?"],
        dispute_won: &["Dispute Won?"],
        kind: NONE,
        reference: NONE,
        quantity: &["Quantity"],
        coupon: &["Discount Code", "Offer Code"],
        referrer: &["Referrer"],
        utm_source: &["UTM Source"],
        utm_medium: &["UTM Medium"],
        utm_campaign: &["UTM Campaign"],
        totals_row: Some("Totals"),
        whole_is_minor: false,
    },
    Format {
        provider: "stripe",
        export: "Stripe payments CSV (unified payments)",
        how: "Stripe Dashboard → Payments → Export (all columns)",
        signature: &["id", "Amount", "Amount Refunded", "Currency", "Status"],
        id: &["id"],
        date: &["Created date (UTC)", "Created (UTC)"],
        time: NONE,
        zone: NONE,
        products: &["product (metadata)", "Description", "product_id (metadata)"],
        gross: &["Amount"],
        currency: CurrencyFrom::Column(&["Currency"]),
        converted: Some([
            &["Converted Amount"],
            &["Converted Amount Refunded"],
            &["Converted Currency"],
        ]),
        fee: &["Fee"],
        fee_negative: false,
        refunded: &["Amount Refunded"],
        refunded_flag: NONE,
        status: &["Status"],
        disputed: NONE,
        dispute_won: NONE,
        kind: NONE,
        reference: NONE,
        quantity: NONE,
        coupon: &["coupon (metadata)", "promotion_code (metadata)", "Coupon"],
        referrer: &["referrer (metadata)"],
        utm_source: &["utm_source (metadata)"],
        utm_medium: &["utm_medium (metadata)"],
        utm_campaign: &["utm_campaign (metadata)"],
        totals_row: None,
        whole_is_minor: false,
    },
    Format {
        provider: "lemonsqueezy",
        export: "Lemon Squeezy orders CSV",
        how: "Lemon Squeezy → Orders → Export",
        signature: &["Order Number", "Product", "Total", "Status"],
        id: &["Order Number", "Identifier"],
        date: &["Date", "Created At", "Created"],
        time: NONE,
        zone: NONE,
        products: &["Product", "Product Name", "Variant", "Product ID"],
        gross: &["Total"],
        currency: CurrencyFrom::Column(&["Currency"]),
        converted: None,
        fee: &["Fee", "Fees", "Processing Fee"],
        fee_negative: false,
        refunded: &["Refunded Amount", "Refunded"],
        refunded_flag: NONE,
        status: &["Status"],
        disputed: NONE,
        dispute_won: NONE,
        kind: NONE,
        reference: NONE,
        quantity: &["Quantity"],
        coupon: &["Discount Code", "Discount"],
        referrer: &["Referrer"],
        utm_source: &["utm_source", "Custom: utm_source"],
        utm_medium: &["utm_medium", "Custom: utm_medium"],
        utm_campaign: &["utm_campaign", "Custom: utm_campaign"],
        totals_row: None,
        whole_is_minor: false,
    },
    Format {
        provider: "lemonsqueezy",
        export: "Lemon Squeezy orders CSV (field names)",
        how: "Lemon Squeezy → Orders → Export",
        signature: &["order_number", "total", "status", "currency"],
        id: &["order_number", "identifier"],
        date: &["created_at", "date_utc", "date"],
        time: NONE,
        zone: NONE,
        products: &["product_name", "variant_name", "product_id"],
        gross: &["total"],
        currency: CurrencyFrom::Column(&["currency"]),
        converted: None,
        fee: &["fee", "fees"],
        fee_negative: false,
        refunded: &["refunded_amount"],
        refunded_flag: &["refunded"],
        status: &["status"],
        disputed: NONE,
        dispute_won: NONE,
        kind: NONE,
        reference: NONE,
        quantity: &["quantity"],
        coupon: &["discount_code", "discount_name"],
        referrer: &["referrer"],
        utm_source: &["utm_source", "custom_data_utm_source"],
        utm_medium: &["utm_medium", "custom_data_utm_medium"],
        utm_campaign: &["utm_campaign", "custom_data_utm_campaign"],
        totals_row: None,
        whole_is_minor: true,
    },
    Format {
        provider: "paypal",
        export: "PayPal activity CSV (English headers)",
        how: "PayPal → Activity → Download → CSV, with the account language set to English",
        signature: &["Date", "Time", "Gross", "Fee", "Transaction ID", "Currency"],
        id: &["Transaction ID"],
        date: &["Date"],
        time: &["Time"],
        zone: &["TimeZone", "Time Zone"],
        products: &["Item Title", "Item ID", "Subject"],
        gross: &["Gross"],
        currency: CurrencyFrom::Column(&["Currency"]),
        converted: None,
        fee: &["Fee"],
        fee_negative: true,
        refunded: NONE,
        refunded_flag: NONE,
        status: &["Status"],
        disputed: NONE,
        dispute_won: NONE,
        kind: &["Type", "Description"],
        reference: &["Reference Txn ID"],
        quantity: &["Quantity"],
        coupon: NONE,
        referrer: NONE,
        utm_source: NONE,
        utm_medium: NONE,
        utm_campaign: NONE,
        totals_row: None,
        whole_is_minor: false,
    },
];

/// Header words of PayPal exports in other languages: a header holding
/// these is PayPal's, but not in English.
pub const PAYPAL_LOCALISED: &[(&str, &str)] = &[
    ("Brutto", "German"),
    ("Bruto", "Spanish/Dutch/Portuguese"),
    ("Montant brut", "French"),
    ("Lordo", "Italian"),
    ("总额", "Chinese"),
    ("Transaktionscode", "German"),
    ("Código de transacción", "Spanish"),
    ("Datum", "German"),
    ("Uhrzeit", "German"),
    ("Zeitzone", "German"),
    ("Gebühr", "German"),
    ("Netto", "German/Dutch/Italian"),
    ("Währung", "German"),
    ("Frais", "French"),
    ("Devise", "French"),
    ("Commissione", "Italian"),
    ("Tarifa", "Spanish"),
    ("Neto", "Spanish/Portuguese"),
    ("Moneda", "Spanish"),
    ("日期", "Chinese"),
    ("币种", "Chinese"),
    ("交易号", "Chinese"),
];
