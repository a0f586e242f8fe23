//! The words of the report's new sections (actual sales, what-if) in each
//! UI language: one table, one column per language tag. A language
//! without a column gets English.

/// Language tags with a column in [`WORDS`], in column order.
const LANGS: &[&str] = &["en", "zh-CN"];

/// (key, one text per language in [`LANGS`] order).
const WORDS: &[(&str, [&str; 2])] = &[
    ("actual_title", ["Actual sales", "实际销售"]),
    ("actual_from", ["from", "来自"]),
    ("offer", ["offer", "产品"]),
    ("currency", ["currency", "币种"]),
    ("units", ["units", "件数"]),
    ("revenue", ["revenue", "收入"]),
    ("refunds", ["refunds", "退款"]),
    ("fees", ["fees", "手续费"]),
    ("received", ["received", "到账"]),
    ("cost", ["cost", "成本"]),
    ("net", ["net", "净利"]),
    ("roi", ["ROI", "ROI"]),
    ("net_roi", ["net ROI", "净 ROI"]),
    ("forecast", ["forecast", "预测"]),
    ("between", ["between", "介于"]),
    ("below", ["below", "低于"]),
    ("above", ["above", "高于"]),
    ("total", ["total", "合计"]),
    ("month", ["month", "月份"]),
    ("by_month", ["Sales by month", "按月销售"]),
    ("by_coupon", ["By coupon", "按优惠码"]),
    ("by_referrer", ["By referrer", "按来源"]),
    ("by_utm_campaign", ["By UTM campaign", "按 UTM 活动"]),
    (
        "by_utm_medium",
        ["By UTM medium (page)", "按 UTM 媒介（页面）"],
    ),
    ("key", ["key", "值"]),
    (
        "unmatched",
        ["Rows that map to no offer", "未匹配到产品的记录"],
    ),
    (
        "excluded",
        [
            "Not revenue (failed, pending, disputed)",
            "不计入收入（失败、待处理、争议）",
        ],
    ),
    ("skipped", ["Summary rows skipped", "跳过的汇总行"]),
    ("file_line", ["file:line", "文件:行"]),
    ("reason", ["reason", "原因"]),
    (
        "other_currency",
        ["other currency, not summed", "其他币种，不合计"],
    ),
    ("rows", ["rows", "条"]),
    (
        "whatif_title",
        ["What if: price × sales", "假如：价格 × 销量"],
    ),
    ("price", ["price", "价格"]),
    ("change", ["change", "变化"]),
    ("break_even", ["break-even", "保本销量"]),
    (
        "whatif_note",
        [
            "Net (revenue after fees − cost) at each price and forecast; units do not change with the price. Cells below break-even are red.",
            "每个价格与预测下的净利（扣除手续费后的收入 − 成本）；销量不随价格变化。低于保本的格子为红色。",
        ],
    ),
    (
        "bundle_note",
        [
            "Bundle sales may come out of the sales of its courses: a buyer of the bundle does not buy the courses too.",
            "套餐的销量可能来自其中课程的销量：买了套餐的人不会再单独买这些课程。",
        ],
    ),
    ("built_at", ["Built", "生成于"]),
    ("estimate_title", ["ROI estimate", "ROI 估算"]),
    ("estimate_at", ["ROI estimate at", "ROI 估算，价格取自"]),
    ("private", ["private, not published", "私有，不发布"]),
    ("prices_at", ["Prices in effect at", "价格取自"]),
    (
        "private_note",
        [
            "Private: this page is written to <code>report/</code>, never to the public site.",
            "私有：此页写入 <code>report/</code>，从不发布到公开站点。",
        ],
    ),
    ("totals", ["Totals", "合计"]),
    ("offers", ["Offers", "产品"]),
    ("charts", ["Break-even charts", "保本图"]),
    ("scenario", ["scenario", "情景"]),
    ("low", ["low", "低"]),
    ("expected", ["expected", "预期"]),
    ("high", ["high", "高"]),
    ("sale", ["sale", "促销"]),
    ("sales_unit", ["sales", "笔销售"]),
    ("members", ["members", "名会员"]),
    ("offer_count", ["offers", "个产品"]),
    (
        "payments_per_member",
        ["payments per member", "次付款／每名会员"],
    ),
    ("sale_share", ["sale share", "促销价占比"]),
    ("churn", ["churn a month", "月流失率"]),
    ("payback", ["payback", "回本"]),
    ("payback_month", ["month", "第几月："]),
    (
        "payback_none",
        ["not within the forecast", "预测期内不回本"],
    ),
    ("fee_per_payment", ["fee per payment", "每笔手续费"]),
    ("note", ["note", "注"]),
    ("n_a", ["n/a", "无"]),
    ("no_chart", ["No chart", "无图"]),
    ("no_costs", ["no costs", "没有成本"]),
    ("course", ["course", "课程"]),
    ("membership", ["membership", "会员"]),
    ("bundle", ["bundle", "套餐"]),
    (
        "more_in_json",
        ["more in report/report.json", "条见 report/report.json"],
    ),
    (
        "chart_desc",
        [
            "Revenue after fees against a cost of",
            "扣除手续费后的收入，对比成本",
        ],
    ),
    ("chart_break_even", ["break-even at", "保本点："]),
    (
        "chart_no_break_even",
        [
            "no break-even: nothing is left per unit after fees",
            "无保本点：扣除手续费后每件不剩钱",
        ],
    ),
    (
        "by_language",
        [
            "Forecast at the prices of another language",
            "按另一语言的价格预测",
        ],
    ),
    (
        "by_language_note",
        [
            "The same forecast units and costs, each offer at the price this language's pages show; totals per currency, never summed across currencies.",
            "同样的预测销量与成本，每个产品按该语言页面上的价格计算；按币种合计，不同币种从不相加。",
        ],
    ),
    ("language", ["language", "语言"]),
    (
        "reason_foreign_fees",
        [
            "fees are in {fees} but the price is in {currency}; they cannot be taken from revenue",
            "手续费以 {fees} 计而价格以 {currency} 计，无法从收入中扣除",
        ],
    ),
    (
        "reason_foreign_costs",
        [
            "cost lines {lines} are not in {currency}; they count in their own currency's total, not in this ROI",
            "成本项 {lines} 不是 {currency}，计入其自身币种的合计，不计入此 ROI",
        ],
    ),
    (
        "reason_no_costs",
        [
            "no costs in the manifest, so there is nothing to divide by",
            "清单中没有成本，ROI 无从计算",
        ],
    ),
    (
        "reason_zero_costs",
        [
            "the costs add up to zero, so the ROI is undefined",
            "成本合计为零，ROI 无定义",
        ],
    ),
    (
        "reason_no_forecast",
        [
            "no forecast, so there is no revenue to estimate",
            "没有预测，无法估算收入",
        ],
    ),
    (
        "reason_nothing_left_sale",
        [
            "nothing is left per sale after fees, so no number of them covers the cost",
            "扣除手续费后每笔销售不剩钱，卖多少都覆盖不了成本",
        ],
    ),
    (
        "reason_nothing_left_member",
        [
            "nothing is left per member after fees, so no number of them covers the cost",
            "扣除手续费后每名会员不剩钱，多少会员都覆盖不了成本",
        ],
    ),
    ("reason_sep", ["; ", "；"]),
    ("sentence_end", [".", "。"]),
    (
        "revenue_after_fees",
        ["revenue after fees", "扣除手续费后的收入"],
    ),
];

/// The forecast table's columns, as keys of [`WORDS`], for report.html
/// and the terminal table alike (which leaves out [`WIDE_ONLY`]).
pub const ESTIMATE_COLUMNS: &[&str] = &[
    "offer",
    "price",
    "scenario",
    "units",
    "revenue",
    "cost",
    "net",
    "roi",
    "net_roi",
    "break_even",
];

/// The actual-sales table's columns, likewise.
pub const ACTUAL_COLUMNS: &[&str] = &[
    "offer", "currency", "units", "revenue", "refunds", "fees", "received", "cost", "net", "roi",
    "net_roi", "forecast",
];

/// Columns the terminal table leaves to report.html, to stay narrow
/// enough for a CI log.
pub const WIDE_ONLY: &[&str] = &["net_roi"];

/// A scenario name in `lang`: the three standard ones are translated, any
/// other is shown as the manifest writes it.
pub fn scenario(lang: &str, name: &str) -> String {
    match name {
        "low" => word(lang, "low").to_string(),
        "expected" => word(lang, "expected").to_string(),
        "high" => word(lang, "high").to_string(),
        other => other.to_string(),
    }
}

/// An offer kind's name in `lang` (`course`, `membership`, `bundle`).
pub fn kind(lang: &str, name: &str) -> &'static str {
    match name {
        "course" => word(lang, "course"),
        "membership" => word(lang, "membership"),
        _ => word(lang, "bundle"),
    }
}

/// The text of `key` in `lang` (a language tag), English when the
/// language has no column; the key itself when it is unknown.
pub fn word(lang: &str, key: &'static str) -> &'static str {
    let col = LANGS.iter().position(|l| *l == lang).unwrap_or(0);
    WORDS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, texts)| texts[col])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique_and_falls_back_to_english() {
        let mut keys: Vec<&str> = WORDS.iter().map(|(k, _)| *k).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), WORDS.len());
        assert_eq!(word("zh-CN", "refunds"), "退款");
        assert_eq!(word("fr", "refunds"), "refunds");
    }
}
