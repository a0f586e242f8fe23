//! The crawl files are templates of the theme: a site's
//! `templates/feed.xml`, `templates/sitemap.xml` and `templates/robots.txt`
//! replace the built-in ones, with the context themes/default/README.md
//! documents.

mod common;

use common::TestSite;

#[test]
fn the_default_crawl_files_come_from_the_theme() {
    let site = TestSite::fixture("basic");
    site.build_ok(&[]);
    let robots = site.read("public/robots.txt");
    assert!(
        robots.starts_with("User-agent: *\nAllow: /\n\nSitemap: https://"),
        "{robots}"
    );
    assert!(robots.ends_with("/sitemap.xml\n"), "{robots:?}");
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<url><loc>https://"), "{sitemap}");
    assert!(!sitemap.contains("404.html"), "{sitemap}");
    let feed = site.read("public/feed.xml");
    assert!(
        feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""),
        "{feed}"
    );
    assert!(feed.contains("<entry>"), "{feed}");
}

#[test]
fn a_site_overrides_robots_txt() {
    let site = TestSite::fixture("basic");
    site.write(
        "templates/robots.txt",
        "User-agent: GPTBot\nDisallow: /\n{% for s in sitemaps %}Sitemap: {{ s }}\n{% endfor %}",
    );
    site.build_ok(&[]);
    let robots = site.read("public/robots.txt");
    assert!(
        robots.starts_with("User-agent: GPTBot\nDisallow: /\nSitemap: https://"),
        "{robots}"
    );
    assert!(!robots.contains("Allow: /"), "{robots}");
}

#[test]
fn a_site_overrides_sitemap_xml() {
    let site = TestSite::fixture("basic");
    site.write(
        "templates/sitemap.xml",
        "<?xml version=\"1.0\"?>\n<urlset>{% for u in urls %}<url><loc>{{ u }}</loc><changefreq>weekly</changefreq></url>{% endfor %}</urlset>\n",
    );
    site.build_ok(&[]);
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<changefreq>weekly</changefreq>"),
        "{sitemap}"
    );
    // The same pages as the built-in one lists.
    let plain = TestSite::fixture("basic");
    plain.build_ok(&[]);
    let count = |s: &str| s.matches("<loc>").count();
    assert_eq!(count(&sitemap), count(&plain.read("public/sitemap.xml")));
}

#[test]
fn a_site_overrides_feed_xml_and_its_text_is_escaped() {
    let site = TestSite::fixture("basic");
    site.edit("kpsite.yaml", "title: ", "title: A <b>&</b> ");
    site.write(
        "templates/feed.xml",
        "<feed><title>{{ feed.title }}</title>{% for e in entries %}<e href=\"{{ e.url }}\">{{ e.title }}</e>{% endfor %}<mine/></feed>\n",
    );
    site.build_ok(&[]);
    let feed = site.read("public/feed.xml");
    assert!(feed.contains("<mine/>"), "{feed}");
    assert!(
        feed.contains("<title>A &lt;b&gt;&amp;&lt;/b&gt; "),
        "{feed}"
    );
    assert!(feed.contains("<e href=\"https://"), "{feed}");
}

#[test]
fn a_broken_crawl_template_is_an_error_naming_it() {
    let site = TestSite::fixture("basic");
    site.write(
        "templates/sitemap.xml",
        "{% for u in urls %}{{ u.nope.deeper }}{% endfor %}",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("templates/sitemap.xml"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn a_members_build_robots_txt_uses_the_template_too() {
    let site = TestSite::fixture("basic");
    site.write(
        "templates/robots.txt",
        "{% if allow %}open{% else %}User-agent: *\nDisallow: /\n# members{% endif %}\n",
    );
    site.build_ok(&["--members"]);
    assert_eq!(
        site.read("members/robots.txt"),
        "User-agent: *\nDisallow: /\n# members\n"
    );
    assert_eq!(site.read("public/robots.txt"), "open\n");
}
