//! Verbal forms in real standards wording, in both directions: clean pairs give no
//! finding, a changed requirement level gives an error.

use super::*;
use crate::{NoCatalog, NoTerms, Options, Pair, check as check_all};

/// Clean pairs: the requirement levels agree.
const CLEAN: &[(&str, &str)] = &[
    (
        "试样应在温度为23 ℃±2 ℃的环境中放置24 h。",
        "The specimens shall be conditioned at a temperature of 23 °C ± 2 °C for 24 h.",
    ),
    (
        "产品表面不应有裂纹、气泡和明显的划伤。",
        "The surface of the product shall be free from cracks, bubbles and obvious scratches.",
    ),
    (
        "包装箱宜采用瓦楞纸箱。",
        "Corrugated cartons should be used as packing cases.",
    ),
    (
        "必要时，可增加检验项目。",
        "Where necessary, additional test items may be added.",
    ),
    (
        "不必对每批产品进行型式检验。",
        "Type tests need not be carried out on every batch.",
    ),
    (
        "该方法能检测出0.1 mg/kg的残留量。",
        "The method can detect residues of 0.1 mg/kg.",
    ),
    (
        "本标准适用于民用建筑的给水排水设计。",
        "This standard applies to the design of water supply and drainage for civil buildings.",
    ),
    (
        "应用软件的响应时间不应大于2 s。",
        "The response time of the application software shall not exceed 2 s.",
    ),
    (
        "电缆的性能应符合表3的规定。",
        "The performance of the cables shall comply with Table 3.",
    ),
    (
        "检验结果不宜低于规定值的90%。",
        "The test result should not be lower than 90 % of the specified value.",
    ),
    (
        "设备应能在−40 ℃～+85 ℃范围内正常工作。",
        "The equipment shall be able to operate normally from −40 °C to +85 °C.",
    ),
    (
        "如不能满足要求，应重新取样。",
        "If the requirements cannot be met, the sample shall be taken again.",
    ),
    (
        "供应商应提供合格证明。",
        "The supplier shall provide a certificate of conformity.",
    ),
    (
        "允许偏差为±0.5 mm。",
        "The permissible deviation is ±0.5 mm.",
    ),
    (
        "相应的试验方法见附录A。",
        "The corresponding test methods are given in Annex A.",
    ),
    (
        "可靠性试验的持续时间应为1 000 h。",
        "The duration of the reliability test shall be 1 000 h.",
    ),
    (
        "不得使用含铅焊料。",
        "Lead-containing solder shall not be used.",
    ),
    (
        "含水率应不大于0.5%。",
        "The moisture content shall be not more than 0.5 %.",
    ),
    (
        "抽样方案可由供需双方商定。",
        "The sampling plan may be agreed between the supplier and the purchaser.",
    ),
    (
        "标志应清晰、耐久，且不易擦除。",
        "Markings shall be legible, durable and not easily erased.",
    ),
    (
        "对于小批量生产，可以不进行抽样检验。",
        "For small-batch production, sampling inspection need not be carried out.",
    ),
    (
        "温度过高可能导致绝缘材料老化。",
        "Excessive temperature can cause ageing of the insulating material.",
    ),
    (
        "本文件规定了钢丝绳的分类、要求和试验方法。",
        "This document specifies the classification, requirements and test methods of steel wire ropes.",
    ),
    (
        "检测报告宜包括下列内容：",
        "The test report should include the following information:",
    ),
];

/// Pairs whose target changes the level: the English side of a clean pair, changed.
const CHANGED: &[(&str, &str)] = &[
    (
        "试样应在温度为23 ℃±2 ℃的环境中放置24 h。",
        "The specimens should be conditioned at a temperature of 23 °C ± 2 °C for 24 h.",
    ),
    (
        "产品表面不应有裂纹、气泡和明显的划伤。",
        "The surface of the product should be free from cracks, bubbles and obvious scratches.",
    ),
    (
        "包装箱宜采用瓦楞纸箱。",
        "Corrugated cartons shall be used as packing cases.",
    ),
    (
        "必要时，可增加检验项目。",
        "Where necessary, additional test items shall be added.",
    ),
    (
        "不必对每批产品进行型式检验。",
        "Type tests shall not be carried out on every batch.",
    ),
    (
        "该方法能检测出0.1 mg/kg的残留量。",
        "The method shall detect residues of 0.1 mg/kg.",
    ),
    (
        "应用软件的响应时间不应大于2 s。",
        "The response time of the application software should not exceed 2 s.",
    ),
    (
        "电缆的性能应符合表3的规定。",
        "The performance of the cables may comply with Table 3.",
    ),
    (
        "检验结果不宜低于规定值的90%。",
        "The test result shall not be lower than 90 % of the specified value.",
    ),
    (
        "不得使用含铅焊料。",
        "Lead-containing solder should not be used.",
    ),
    (
        "抽样方案可由供需双方商定。",
        "The sampling plan shall be agreed between the supplier and the purchaser.",
    ),
    (
        "标志应清晰、耐久，且不易擦除。",
        "Markings should be legible, durable and not easily erased.",
    ),
];

fn verbal_findings(
    source: &str,
    target: &str,
    source_lang: &str,
    target_lang: &str,
) -> Vec<crate::Finding> {
    let mut options = Options::new(source_lang, target_lang);
    options.checks.insert(CheckId::VerbalForm);
    check_all(
        &[Pair::text("u", 1, source, target)],
        &options,
        &NoTerms,
        &NoCatalog,
    )
}

#[test]
fn clean_pairs_give_no_finding_in_either_direction() {
    for (zh, en) in CLEAN {
        let forward = verbal_findings(zh, en, "zh-CN", "en");
        assert!(forward.is_empty(), "zh→en {zh} | {en}: {forward:#?}");
        let backward = verbal_findings(en, zh, "en", "zh-CN");
        assert!(backward.is_empty(), "en→zh {en} | {zh}: {backward:#?}");
    }
}

#[test]
fn a_changed_level_is_an_error_in_either_direction() {
    for (zh, en) in CHANGED {
        let forward = verbal_findings(zh, en, "zh-CN", "en");
        assert!(
            forward.iter().any(|f| f.severity == Severity::Error),
            "zh→en {zh} | {en}: {forward:#?}"
        );
        let backward = verbal_findings(en, zh, "en", "zh-CN");
        assert!(
            backward.iter().any(|f| f.severity == Severity::Error),
            "en→zh {en} | {zh}: {backward:#?}"
        );
    }
}

#[test]
fn the_finding_points_at_both_forms() {
    let findings = verbal_findings(
        "包装箱宜采用瓦楞纸箱。",
        "Corrugated cartons shall be used.",
        "zh",
        "en",
    );
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].source_span, [3, 4]);
    assert_eq!(findings[0].target_span, [19, 24]);
    assert!(
        findings[0].message.contains("should"),
        "{}",
        findings[0].message
    );
    assert!(
        findings[0].message_zh.contains("宜"),
        "{}",
        findings[0].message_zh
    );
}

#[test]
fn words_that_contain_a_form_are_not_forms() {
    let words = VerbalForms::new(Rules::Standards);
    for text in [
        "应用软件",
        "供应商",
        "相应的",
        "可靠性",
        "性能",
        "功能",
        "便宜",
        "能源",
        "反应",
        "应力",
    ] {
        assert!(
            words.forms(text, true).is_empty(),
            "{text}: {:?}",
            words.forms(text, true)
        );
    }
    let forms = words.forms("试样应放置", true);
    assert_eq!(forms.len(), 1);
    assert_eq!(forms[0].level, Level::Shall);
}

#[test]
fn must_is_a_drafting_issue_under_standards_rules_and_a_level_in_construction_codes() {
    let standards = verbal_findings(
        "电源必须断开。",
        "The power supply must be disconnected.",
        "zh",
        "en",
    );
    assert_eq!(standards.len(), 2, "{standards:#?}");
    assert!(standards.iter().all(|f| f.severity == Severity::Warning));

    let mut options = Options::new("zh", "en");
    options.rules = Rules::Construction;
    options.checks.insert(CheckId::VerbalForm);
    let pair = |en: &str| Pair::text("u", 1, "施工现场严禁吸烟。", en);
    let clean = check_all(
        &[pair(
            "Smoking is strictly prohibited on the construction site.",
        )],
        &options,
        &NoTerms,
        &NoCatalog,
    );
    assert!(clean.is_empty(), "{clean:#?}");
    let must = check_all(
        &[Pair::text(
            "u",
            1,
            "脚手架必须经验收合格后使用。",
            "Scaffolding shall be used only after acceptance.",
        )],
        &options,
        &NoTerms,
        &NoCatalog,
    );
    assert!(
        must.iter().any(|f| f.severity == Severity::Error),
        "{must:#?}"
    );
}

#[test]
fn the_month_may_and_a_conditional_should_are_not_forms() {
    let words = VerbalForms::new(Rules::Standards);
    assert!(words.forms("published on 1 May 2020", false).is_empty());
    assert!(
        words
            .forms("Should the test fail, repeat it.", false)
            .is_empty()
    );
    assert_eq!(words.forms("The test may be repeated.", false).len(), 1);
}

#[test]
fn rules_follow_the_family_of_the_standard() {
    assert_eq!(Rules::for_designation("GB 50016-2014"), Rules::Construction);
    assert_eq!(Rules::for_designation("JGJ 130-2011"), Rules::Construction);
    assert_eq!(Rules::for_designation("GB/T 19001-2016"), Rules::Standards);
}
