use super::*;

fn fixture(name: &str) -> Export {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sales")
        .join(name);
    read_file(&path, name).unwrap()
}

#[test]
fn each_fixture_is_recognised_by_its_header() {
    assert_eq!(fixture("gumroad.csv").provider, "gumroad");
    assert_eq!(fixture("stripe.csv").provider, "stripe");
    assert_eq!(fixture("lemonsqueezy.csv").provider, "lemonsqueezy");
    assert_eq!(fixture("paypal.csv").provider, "paypal");
}

#[test]
fn gumroad_rows_lines_and_amounts() {
    let e = fixture("gumroad.csv");
    // 8 records under the header: 5 payments, 1 that does not read, 1 Totals, 1 Old Ebook (a row).
    assert_eq!(e.records, 8);
    assert_eq!(e.skipped, vec![10]);
    let lines: Vec<u64> = e.rows.iter().map(|r| r.line).collect();
    // The third record spans lines 4-5 (an address with a newline).
    assert_eq!(lines, vec![2, 3, 4, 6, 7, 8]);
    assert_eq!(e.problems.len(), 1);
    assert_eq!(e.problems[0].line, 9);
    assert!(
        e.problems[0].reason.contains("forty-nine"),
        "{}",
        e.problems[0].reason
    );
    let r = &e.rows[1];
    assert_eq!((r.gross, r.refunded, r.fee), (4_900, 4_900, 540));
    assert_eq!(r.currency.code(), "USD");
    let r = &e.rows[2];
    assert_eq!((r.gross, r.refunded, r.fee), (3_920, 1_000, 432));
    assert_eq!(r.coupon.as_deref(), Some("EARLY20"));
    assert!(matches!(e.rows[4].state, State::Excluded(_)));
    let big = &e.rows[5];
    assert_eq!(
        (big.gross, big.quantity, big.state.clone()),
        (123_450, 25, State::Counted)
    );
}

#[test]
fn paypal_refunds_fees_and_non_sales() {
    let e = fixture("paypal.csv");
    assert_eq!(e.rows.len(), 5);
    let refund = e.rows.iter().find(|r| r.is_refund).unwrap();
    assert_eq!(
        (refund.gross, refund.refunded, refund.fee),
        (0, 2_900, -118)
    );
    assert_eq!(refund.reference.as_deref(), Some("7RN42161W1188403H"));
    assert_eq!(e.rows[0].fee, 148);
    assert_eq!(e.problems.len(), 1);
    assert!(e.problems[0].reason.contains("General Withdrawal"));
    assert_eq!(e.problems[0].line, 5);
}

#[test]
fn stripe_settles_foreign_payments_in_the_account_currency() {
    let e = fixture("stripe.csv");
    let eur = e.rows.iter().find(|r| r.id == "ch_3QaA4").unwrap();
    assert_eq!(
        (eur.currency.code(), eur.gross, eur.fee),
        ("USD", 7_012, 233)
    );
    let refunded = e.rows.iter().find(|r| r.id == "ch_3QaA2").unwrap();
    assert_eq!(refunded.refunded, 6_900);
    let failed = e.rows.iter().find(|r| r.id == "ch_3QaA3").unwrap();
    assert!(matches!(&failed.state, State::Excluded(r) if r.contains("failed")));
}

#[test]
fn semicolons_decimal_commas_and_a_bom() {
    let text = "\u{feff}Order Number;Product;Status;Currency;Total;Refunded Amount;Date\n\
                1;Community;paid;EUR;\"1.234,50\";\"0,00\";2026-11-05 10:00:00\n";
    let e = read_bytes(text.as_bytes(), "eu.csv").unwrap();
    assert_eq!(e.provider, "lemonsqueezy");
    assert_eq!(e.rows[0].gross, 123_450);
    assert_eq!(e.rows[0].line, 2);
}

#[test]
fn unknown_exports_say_what_was_seen_and_expected() {
    let err = read_bytes(b"name,price\nx,1\n", "shop.csv")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("shop.csv:1:1: not a known sales export"),
        "{err}"
    );
    assert!(err.contains("`name, price`"), "{err}");
    assert!(
        err.contains("Gumroad sales CSV") && err.contains("PayPal activity CSV"),
        "{err}"
    );
    let err = read_bytes(
        "\"Datum\",\"Uhrzeit\",\"Zeitzone\",\"Name\",\"Typ\",\"Status\",\"Währung\",\"Brutto\"\n"
            .as_bytes(),
        "pp.csv",
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("`Brutto`") && err.contains("German") && err.contains("English"),
        "{err}"
    );
    let err = read_bytes(b"id,Amount,Currency\n", "s.csv")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("Closest: Stripe") && err.contains("missing Amount Refunded, Status"),
        "{err}"
    );
    assert!(
        read_bytes(b"", "e.csv")
            .unwrap_err()
            .to_string()
            .contains("empty")
    );
    assert!(
        read_bytes(b"\xff\xfeP\x00", "u.csv")
            .unwrap_err()
            .to_string()
            .contains("UTF-16")
    );
    assert!(
        read_bytes(b"Purchase ID,\xff\n", "b.csv")
            .unwrap_err()
            .to_string()
            .contains("not UTF-8")
    );
}

#[test]
fn a_truncated_export_loses_no_row() {
    let full = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sales/stripe.csv"),
    )
    .unwrap();
    // Cut in the middle of the last record.
    let cut = &full[..full.len() - 40];
    let e = read_bytes(cut, "stripe.csv").unwrap();
    assert_eq!(e.rows.len() + e.problems.len(), 6);
    let p = e.problems.last().unwrap();
    assert_eq!(p.line, 7);
    assert!(p.reason.contains("cut short"), "{}", p.reason);
}

#[test]
fn statuses_are_classified() {
    assert_eq!(classify("Paid"), State::Counted);
    assert_eq!(classify("partial_refund"), State::Counted);
    assert!(matches!(classify("Pending"), State::Excluded(r) if r.starts_with("pending")));
    assert!(matches!(classify("Disputed"), State::Excluded(r) if r.starts_with("disputed")));
    assert!(matches!(classify("Weird"), State::Excluded(r) if r.contains("`Weird`")));
}
