//! Any string the user gives (a script, an environment value, a name, an input) renders as
//! YAML that reads back as the same string.
#![allow(clippy::panic)] // assertions panic

mod common;

use common::{REGENERATE, parse};
use proptest::prelude::*;
use stackwright_github::{
    Access, ActionRef, Expr, Job, Permissions, Push, RunsOn, Step, Text, Workflow,
};

/// Strings of every kind of character, weighted towards what YAML treats specially. The
/// checks refuse text holding `${{` (GitHub would evaluate it), so it is left out.
fn text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        "",
        " ",
        "\n",
        "\r",
        "\t",
        ":",
        ": ",
        "#",
        " #",
        "-",
        "- ",
        "?",
        "'",
        "\"",
        "\\",
        "{",
        "}",
        "[",
        "]",
        ",",
        "&",
        "*",
        "!",
        "|",
        ">",
        "%",
        "@",
        "`",
        "~",
        "null",
        "yes",
        "on",
        "0",
        "1.5",
        "0x1F",
        "2001-12-14",
        "\u{85}",
        "\u{2028}",
        "\u{FEFF}",
        "\u{1}",
        "é",
        "$",
        "${",
        "${{",
        "}}",
    ]);
    let piece = prop_oneof![special.prop_map(str::to_owned), any::<String>(), "[a-z ]{0,8}"];
    prop::collection::vec(piece, 0..8)
        .prop_map(|parts| parts.concat())
        .prop_filter("holds an expression opener", |s| !s.contains("${{"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_string_reads_back_as_itself(
        script in text(),
        value in text(),
        name in text(),
        input in text(),
    ) {
        let mut wf = Workflow::new("ci", &name);
        wf.on_push(Push::new().branches([value.clone()]));
        let job = wf.job(
            "build",
            Job::new(RunsOn::ubuntu_latest(), Permissions::none().contents(Access::Read))
                .name(name.as_str()),
        );
        wf.step(
            job,
            Step::run(script.as_str())
                .name(Text::from(name.as_str()).push(Expr::github_sha()))
                .env("VALUE", value.as_str()),
        );
        wf.step(job, Step::uses(ActionRef::new("some/action", "v1")).with("input", input.as_str()));
        let rendered = wf.render(REGENERATE).map_err(|r| TestCaseError::fail(r.to_string()))?;
        let parsed = parse(&rendered.yaml);
        let job = &parsed["jobs"]["build"];
        prop_assert_eq!(parsed["name"].as_str(), Some(name.as_str()), "{}", rendered.yaml);
        prop_assert_eq!(parsed["on"]["push"]["branches"][0].as_str(), Some(value.as_str()));
        prop_assert_eq!(job["name"].as_str(), Some(name.as_str()));
        prop_assert_eq!(job["steps"][0]["run"].as_str(), Some(script.as_str()));
        prop_assert_eq!(job["steps"][0]["env"]["VALUE"].as_str(), Some(value.as_str()));
        let step_name = format!("{name}${{{{ github.sha }}}}");
        prop_assert_eq!(job["steps"][0]["name"].as_str(), Some(step_name.as_str()));
        prop_assert_eq!(job["steps"][1]["with"]["input"].as_str(), Some(input.as_str()));
    }
}
