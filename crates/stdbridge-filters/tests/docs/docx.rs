//! DOCX: one segment per sentence with codes only where formatting really changes; fields,
//! hyperlinks, footnotes, text boxes and tracked changes; merge keeps everything else.

use stdbridge_filters::TrackedChanges;
use stdbridge_filters::docx::DocxFilter;
use stdbridge_filters::model::marked;
use stdbridge_filters::{Content, Format, Item, TextUnit, extract, merge, pseudo_translate};
use stdbridge_text::Segmenter;

use crate::support::{canonical, canonical_with, docx, merged, part, units};

fn segments(units: &[TextUnit]) -> Vec<String> {
    units
        .iter()
        .flat_map(|u| u.segments().map(|s| marked(s)))
        .collect()
}

const BOLD: &str = r#"<w:p w:rsidR="00A1" w:rsidRDefault="00B2"><w:pPr><w:pStyle w:val="BodyText"/></w:pPr><w:r w:rsidR="0010"/><w:r w:rsidR="0011"><w:rPr><w:lang w:val="en-GB"/></w:rPr><w:t xml:space="preserve">This </w:t></w:r><w:proofErr w:type="spellStart"/><w:r w:rsidR="0022"><w:rPr><w:rFonts w:hint="eastAsia"/><w:lang w:val="en-US"/></w:rPr><w:t xml:space="preserve">standard </w:t></w:r><w:proofErr w:type="spellEnd"/><w:r><w:rPr><w:rFonts w:hint="eastAsia"/><w:b/></w:rPr><w:t>shall</w:t></w:r><w:r><w:lastRenderedPageBreak/><w:t xml:space="preserve"> apply</w:t></w:r></w:p>"#;

#[test]
fn one_bold_word_is_one_segment_with_one_pair_of_codes() {
    let bytes = docx(BOLD, None);
    let units = units(Format::Docx, &bytes, "en");
    assert_eq!(segments(&units), ["This standard {1}shall{/1} apply"]);
    assert_eq!(units[0].codes.len(), 1);
    assert_eq!(units[0].codes[0].label, "b");
    assert_eq!(units[0].context, "word/document.xml#BodyText");
}

#[test]
fn translation_takes_the_formatting_of_its_codes() {
    let bytes = docx(BOLD, None);
    let out = merged(Format::Docx, &bytes, "en", &|_| {
        vec![
            Item::Text("本标准".into()),
            Item::Open(1),
            Item::Text("应".into()),
            Item::Close(1),
            Item::Text("适用".into()),
        ]
    });
    let document = part(&out, "word/document.xml");
    assert!(
        document.contains(r#"<w:pPr><w:pStyle w:val="BodyText"/></w:pPr>"#),
        "{document}"
    );
    let canon = canonical(&document);
    assert!(canon.contains("[<w:rPr><w:b/></w:rPr>]应"), "{canon}");
    assert!(
        document.contains(
            r#"<w:rFonts w:hint="eastAsia"/><w:b/></w:rPr><w:t xml:space="preserve">应</w:t>"#
        ),
        "{document}"
    );
    assert!(canon.contains("[]本标准"), "{canon}");
}

#[test]
fn untranslated_documents_come_back_byte_for_byte_and_source_copies_canonically() {
    let body = format!("{BOLD}{HYPERLINK}{FIELD}{TABLE}");
    let bytes = docx(&body, Some(FOOTNOTES));
    let filter = DocxFilter::default();
    let segmenter = Segmenter::for_language("en");
    let mut keep = |_: &TextUnit| Vec::new();
    let same = merge(
        &filter, &bytes, "t.docx", &segmenter, "en", false, &mut keep,
    )
    .expect("merges");
    assert_eq!(
        part(&same, "word/document.xml"),
        part(&bytes, "word/document.xml")
    );
    let copied = merged(Format::Docx, &bytes, "en", &|s| s.clone());
    for name in ["word/document.xml", "word/footnotes.xml"] {
        assert_eq!(
            canonical(&part(&copied, name)),
            canonical(&part(&bytes, name)),
            "{name}"
        );
    }
}

const HYPERLINK: &str = r#"<w:p><w:r><w:t xml:space="preserve">See </w:t></w:r><w:hyperlink r:id="rId9" w:history="1"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:t>the ISO website</w:t></w:r></w:hyperlink><w:r><w:t xml:space="preserve"> for details.</w:t></w:r></w:p>"#;

#[test]
fn hyperlink_text_is_translated_and_its_target_kept() {
    let bytes = docx(HYPERLINK, None);
    let units = units(Format::Docx, &bytes, "en");
    assert_eq!(
        segments(&units),
        ["See {1}the ISO website{/1} for details."]
    );
    let out = merged(Format::Docx, &bytes, "en", &|_| {
        vec![
            Item::Text("详见".into()),
            Item::Open(1),
            Item::Text("ISO网站".into()),
            Item::Close(1),
            Item::Text("。".into()),
        ]
    });
    let document = part(&out, "word/document.xml");
    assert!(
        document.contains(r#"<w:hyperlink r:id="rId9" w:history="1"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:t xml:space="preserve">ISO网站</w:t></w:r></w:hyperlink>"#),
        "{document}"
    );
}

const FIELD: &str = r#"<w:p><w:r><w:t xml:space="preserve">The values are given in </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> REF _Ref123 \h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Table 1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> and on page </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>.</w:t></w:r></w:p>"#;

#[test]
fn field_codes_stay_and_field_results_are_translated() {
    let bytes = docx(FIELD, None);
    let units = units(Format::Docx, &bytes, "en");
    assert_eq!(
        segments(&units),
        ["The values are given in {1}Table 1{/1} and on page {2/}."]
    );
    let field = &units[0].codes[0];
    assert!(
        field.open_data.contains("REF _Ref123"),
        "{}",
        field.open_data
    );
    let out = merged(Format::Docx, &bytes, "en", &|_| {
        vec![
            Item::Text("数值见".into()),
            Item::Open(1),
            Item::Text("表1".into()),
            Item::Close(1),
            Item::Text("和第".into()),
            Item::Ph(2),
            Item::Text("页。".into()),
        ]
    });
    let document = part(&out, "word/document.xml");
    assert!(
        document.contains(r#"<w:instrText xml:space="preserve"> REF _Ref123 \h </w:instrText>"#)
    );
    assert!(document.contains(r#"<w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve">表1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/>"#), "{document}");
    assert!(document.contains(" PAGE "));
}

const TABLE: &str = r#"<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tr><w:tc><w:p><w:r><w:t>Term</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Definition</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>tank</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p></w:tc><w:tc><w:p><w:r><w:tab/><w:t>vessel for liquids</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;

const FOOTNOTES: &str = r#"<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Also called a cistern.</w:t></w:r></w:p></w:footnote>"#;

#[test]
fn tables_and_footnotes_are_read_with_references_as_placeholders() {
    let bytes = docx(TABLE, Some(FOOTNOTES));
    let units = units(Format::Docx, &bytes, "en");
    assert_eq!(
        segments(&units),
        [
            "Term",
            "Definition",
            "tank",
            "vessel for liquids",
            "Also called a cistern."
        ]
    );
    assert_eq!(units[4].context, "word/footnotes.xml#FootnoteText");
    // A footnote reference after the text and a tab before it stay outside the segment.
    assert!(units[2].codes.is_empty() && units[3].codes.is_empty());
    let out = merged(Format::Docx, &bytes, "en", &|s| {
        vec![Item::Text(format!(
            "<{}>",
            stdbridge_filters::model::plain_text(s)
        ))]
    });
    let document = part(&out, "word/document.xml");
    assert!(document.contains(r#"<w:t xml:space="preserve">&lt;tank&gt;</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>"#), "{document}");
    assert!(
        document.contains(
            r#"<w:r><w:tab/></w:r><w:r><w:t xml:space="preserve">&lt;vessel for liquids&gt;</w:t>"#
        ),
        "{document}"
    );
    let notes = part(&out, "word/footnotes.xml");
    assert!(notes.contains("<w:footnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> &lt;Also called a cistern.&gt;</w:t>"), "{notes}");
    assert!(notes.contains("<w:separator/>"));
}

const TRACKED: &str = r#"<w:p><w:r><w:t xml:space="preserve">The tank </w:t></w:r><w:del w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z"><w:r><w:delText>should</w:delText></w:r></w:del><w:ins w:id="2" w:author="A" w:date="2026-01-01T00:00:00Z"><w:r><w:t>shall</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> be tested.</w:t></w:r></w:p>"#;

#[test]
fn tracked_changes_are_kept_or_accepted() {
    let bytes = docx(TRACKED, None);
    let segmenter = Segmenter::for_language("en");
    let keep = DocxFilter::default();
    let kept = extract(&keep, &bytes, "t.docx", &segmenter).expect("extracts");
    assert_eq!(segments(&kept), ["The tank {1/}{2}shall{/2} be tested."]);
    let accept = DocxFilter {
        tracked_changes: TrackedChanges::Accept,
        ..DocxFilter::default()
    };
    let accepted = extract(&accept, &bytes, "t.docx", &segmenter).expect("extracts");
    assert_eq!(segments(&accepted), ["The tank shall be tested."]);
    let mut copy = |unit: &TextUnit| unit.segments().map(|s| Some(s.clone())).collect();
    let out = merge(
        &accept, &bytes, "t.docx", &segmenter, "en", false, &mut copy,
    )
    .expect("merges");
    let document = part(&out, "word/document.xml");
    assert!(
        !document.contains("w:del ")
            && !document.contains("should")
            && !document.contains("w:ins "),
        "{document}"
    );
    let mut copy = |unit: &TextUnit| unit.segments().map(|s| Some(s.clone())).collect();
    let out = merge(&keep, &bytes, "t.docx", &segmenter, "en", false, &mut copy).expect("merges");
    let document = part(&out, "word/document.xml");
    assert!(
        document.contains("<w:delText>should</w:delText>")
            && document.contains("<w:ins w:id=\"2\""),
        "{document}"
    );
}

const TEXT_BOX: &str = r#"<w:p><w:r><w:t xml:space="preserve">Figure caption </w:t></w:r><w:r><w:drawing><wp:anchor><wp:docPr id="1" name="Text Box 1"/><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>Inside the box.</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r><w:r><w:t xml:space="preserve">continues here.</w:t></w:r></w:p>"#;

#[test]
fn text_boxes_are_translated_inside_their_drawing() {
    let bytes = docx(TEXT_BOX, None);
    let units = units(Format::Docx, &bytes, "en");
    assert_eq!(
        segments(&units),
        ["Inside the box.", "Figure caption {1/}continues here."]
    );
    let out = merged(Format::Docx, &bytes, "en", &|s| pseudo_translate(s));
    let document = part(&out, "word/document.xml");
    assert!(document.contains("⟦Îñšîďé ţĥé ƀøẋ."), "{document}");
    assert!(
        document.contains("⟦Ƒîĝûŕé çåþţîøñ </w:t></w:r><w:r><w:drawing>"),
        "{document}"
    );
}

#[test]
fn merge_refuses_lost_codes_unless_told_to_repair() {
    let bytes = docx(FIELD, None);
    let filter = DocxFilter::default();
    let segmenter = Segmenter::for_language("en");
    let lost: Content = vec![Item::Text("数值见表1。".into())];
    let mut targets = |unit: &TextUnit| unit.segments().map(|_| Some(lost.clone())).collect();
    let error = merge(
        &filter,
        &bytes,
        "t.docx",
        &segmenter,
        "zh-CN",
        false,
        &mut targets,
    )
    .expect_err("refused");
    let message = error.to_string();
    assert!(
        message.contains("unit u1, segment 1")
            && message.contains("code 1 of the source is missing"),
        "{message}"
    );
    let mut targets = |unit: &TextUnit| unit.segments().map(|_| Some(lost.clone())).collect();
    let out = merge(
        &filter,
        &bytes,
        "t.docx",
        &segmenter,
        "zh-CN",
        true,
        &mut targets,
    )
    .expect("repaired");
    let document = part(&out, "word/document.xml");
    assert!(
        document.contains("REF _Ref123")
            && document.contains(" PAGE ")
            && document.contains("数值见表1。"),
        "{document}"
    );
}

#[test]
fn pseudo_translation_changes_every_text_and_nothing_else() {
    let body = format!("{BOLD}{HYPERLINK}{FIELD}{TABLE}{TRACKED}");
    let bytes = docx(&body, Some(FOOTNOTES));
    let out = merged(Format::Docx, &bytes, "en", &|s| pseudo_translate(s));
    for name in ["word/document.xml", "word/footnotes.xml"] {
        let original = part(&bytes, name);
        let pseudo = part(&out, name);
        let mask = |_: &str| "…".to_string();
        assert_eq!(
            canonical_with(&pseudo, &mask),
            canonical_with(&original, &mask),
            "{name}: structure"
        );
        let texts = |xml: &str| -> Vec<String> {
            canonical(xml)
                .lines()
                .filter(|l| l.starts_with('['))
                .map(|l| {
                    l.split_once(']')
                        .map(|(_, t)| t.to_string())
                        .unwrap_or_default()
                })
                .collect()
        };
        for (before, after) in texts(&original).iter().zip(texts(&pseudo)) {
            if before.chars().any(char::is_alphabetic) {
                assert_ne!(before, &after, "{name}: {before:?} unchanged");
            }
        }
    }
}
