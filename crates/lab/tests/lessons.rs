//! Every shipped lesson, played through `lab::Session` as a learner would: each step's files
//! are written, its checks must FAIL first (so none is vacuous), its solution commands run
//! (with `sleep` letting cluster time pass), and then every check must pass. Both languages
//! are read from the same file, so the same run covers them; `both_languages_*` checks the
//! texts themselves.

use lab::Session;
use lab::lesson::{self, Block, Catalog, Lang, Lesson};

/// One seed for all lesson runs: the runs are deterministic, like the page's.
const SEED: u64 = 1;

fn shipped(id: &str) -> Lesson {
    let catalog = lesson::catalog();
    assert!(
        catalog.problems.is_empty(),
        "lesson files with problems: {:#?}",
        catalog.problems
    );
    catalog
        .get(id)
        .unwrap_or_else(|| panic!("no lesson with id {id}"))
        .clone()
}

/// Plays a lesson; the error says which step and check went wrong, with the terminal so far.
fn play(lesson: &Lesson) -> Result<(), String> {
    play_steps(lesson, lesson.steps.len())
}

/// Plays the first `count` steps of a lesson.
fn play_steps(lesson: &Lesson, count: usize) -> Result<(), String> {
    let mut session = Session::with_seed(SEED);
    let mut transcript = String::new();
    for (index, step) in lesson.steps.iter().enumerate().take(count) {
        let at = |what: &str| {
            format!(
                "{} step {} ({}): {what}",
                lesson.file,
                index + 1,
                step.title.en
            )
        };
        session.provide_files(step);
        for check in &step.checks {
            let outcome = session.check(check);
            if outcome.passed {
                return Err(at(&format!(
                    "check `{}` (line {}) already passes before the step's solution ran ({}); it proves nothing",
                    check.says.en, check.line, outcome.observed
                )));
            }
        }
        for command in &step.solution {
            let line = session.fill_placeholders(command);
            let output = session.run_command(&line);
            transcript.push_str(&format!("$ {line}\n{}\n", output.text()));
        }
        for check in &step.checks {
            let outcome = session.check(check);
            if !outcome.passed {
                return Err(at(&format!(
                    "check `{}` (line {}) fails after the solution ({})\n--- terminal ---\n{transcript}",
                    check.says.en, check.line, outcome.observed
                )));
            }
        }
    }
    Ok(())
}

fn assert_plays(id: &str) {
    if let Err(problem) = play(&shipped(id)) {
        panic!("{problem}");
    }
}

/// One test per lesson, so a lesson waiting for a command can be ignored on its own.
macro_rules! lesson_tests {
    ($($name:ident => $id:literal $(, #[$attr:meta])?;)*) => {
        $(
            #[test]
            $(#[$attr])?
            fn $name() {
                assert_plays($id);
            }
        )*
        const TESTED: &[&str] = &[$($id),*];
    };
}

lesson_tests! {
    kubia_replication => "kubia-replication";
    liveness_probes => "liveness-probes";
    deployment_rollout => "deployment-rollout";
    services => "services";
    configmaps => "configmaps";
    jobs_and_cronjobs => "jobs-and-cronjobs";
}

#[test]
fn every_shipped_lesson_has_a_test() {
    let catalog = lesson::catalog();
    assert!(catalog.problems.is_empty(), "{:#?}", catalog.problems);
    let ids: Vec<&str> = catalog.lessons.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(
        ids, TESTED,
        "lessons (in file order) and their tests differ"
    );
}

#[test]
fn both_languages_have_every_text() {
    for lesson in &lesson::catalog().lessons {
        for lang in Lang::ALL {
            assert!(
                !lesson.title.get(lang).is_empty(),
                "{} title {lang:?}",
                lesson.id
            );
            assert!(
                !lesson.intro_blocks(lang).is_empty(),
                "{} intro {lang:?}",
                lesson.id
            );
            for (i, step) in lesson.steps.iter().enumerate() {
                let blocks = step.blocks(lang);
                assert!(!blocks.is_empty(), "{} step {} {lang:?}", lesson.id, i + 1);
                for check in &step.checks {
                    assert!(!check.says.get(lang).is_empty());
                }
            }
        }
        // The Chinese text is Chinese (not a copy of the English).
        let zh = lesson
            .steps
            .iter()
            .map(|s| s.text.zh.as_str())
            .collect::<String>();
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{} zh",
            lesson.id
        );
        assert!(lesson.steps.iter().all(|s| s.text.en != s.text.zh));
    }
}

#[test]
fn code_blocks_in_texts_parse() {
    // A fence in a step's text becomes a code block, not a paragraph of backticks.
    let lesson = shipped("kubia-replication");
    let any_code = lesson.steps.iter().any(|s| {
        s.blocks(Lang::En)
            .iter()
            .any(|b| matches!(b, Block::Code(_)))
    });
    assert!(any_code);
}

/// A good lesson file to break in the tests below.
const GOOD: &str = "\
id: demo
title: {en: Demo, zh: 演示}
intro: {en: An intro., zh: 简介。}
steps:
  - title: {en: Run a pod, zh: 运行 Pod}
    text: {en: Run it., zh: 运行它。}
    try: [kubectl run web --image=nginx]
    solution: [kubectl run web --image=nginx, sleep 20]
    checks:
      - says: {en: web is Ready, zh: web 已就绪}
        get: pod/web
        all: ready
";

fn problem(text: &str) -> String {
    lesson::parse("demo.yaml", text)
        .expect_err("should be rejected")
        .to_string()
}

#[test]
fn a_good_file_reads_and_plays() {
    let lesson = lesson::parse("demo.yaml", GOOD).expect("reads");
    assert_eq!(lesson.steps[0].solution.len(), 2);
    play(&lesson).expect("plays");
}

#[test]
fn bad_files_name_file_line_and_problem() {
    let cases = [
        (
            GOOD.replace("get: pod/web", "get: pdo/web"),
            "demo.yaml:11: the server doesn't have a resource type \"pdo\"",
        ),
        (
            GOOD.replace("all: ready", "all: \"{.status.phase Running\""),
            "demo.yaml:12: condition `{.status.phase Running`: the jsonpath's `{` is never closed",
        ),
        (
            GOOD.replace("zh: web 已就绪", "zz: x"),
            "demo.yaml:10: unknown key `zz` in says; expected one of: en, zh",
        ),
        (
            GOOD.replace("{en: Run it., zh: 运行它。}", "{en: Run it.}"),
            "demo.yaml:6: `text` is missing its `zh` text",
        ),
        (
            GOOD.replace("    checks:", "    chekcs:"),
            "demo.yaml:9: unknown key `chekcs` in a step; expected one of: title, text, files, try, solution, checks",
        ),
        (
            GOOD.replace("        all: ready\n", ""),
            "demo.yaml:10: a check states what must hold: `count`, `exists`, `all` or `any`",
        ),
        (
            GOOD.replace(
                "try: [kubectl run web --image=nginx]",
                "try: [\"kubectl delete pod {{pod app=web\"]",
            ),
            "demo.yaml:7: `kubectl delete pod {{pod app=web`: `{{` is never closed",
        ),
        (
            GOOD.replace("id: demo", "id: Demo Lesson"),
            "demo.yaml:1: id `Demo Lesson` must be lowercase letters, digits and dashes",
        ),
        (
            GOOD.replace(
                "{en: Run it., zh: 运行它。}",
                "{en: \"Run `it.\", zh: 运行它。}",
            ),
            "demo.yaml:6: `text.en`: unclosed ` in \"Run `it.\"",
        ),
        (format!("{GOOD}  - [oops\n"), "demo.yaml:14:"),
        (
            "steps: []\nid: x\ntitle: {en: a, zh: b}\n".to_string(),
            "demo.yaml:1: a lesson needs at least one step",
        ),
    ];
    for (text, want) in cases {
        let got = problem(&text);
        assert!(got.starts_with(want), "got  {got}\nwant {want}");
    }
}

#[test]
fn a_bad_file_leaves_the_others_in_the_catalog() {
    let catalog = Catalog::read(&[("a.yaml", GOOD), ("b.yaml", "id: [1"), ("c.yaml", GOOD)]);
    assert_eq!(catalog.lessons.len(), 1);
    let problems: Vec<String> = catalog.problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 2);
    assert!(problems[0].starts_with("b.yaml:"), "{problems:?}");
    assert_eq!(problems[1], "c.yaml:1: id `demo` is already used by a.yaml");
}

#[test]
fn checks_answer_from_the_api_not_the_terminal() {
    let lesson = lesson::parse("demo.yaml", GOOD).expect("reads");
    let check = &lesson.steps[0].checks[0];
    let mut session = Session::with_seed(SEED);
    // Printing the pod's name in the terminal does not make it exist.
    session.run_command("echo web 1/1 Running");
    assert!(!session.check(check).passed);
    session.run_command("kubectl run web --image=nginx");
    assert!(
        !session.check(check).passed,
        "not Ready before its image is pulled"
    );
    session.advance(30_000);
    assert!(session.check(check).passed);
    session.run_command("kubectl delete pod web");
    session.advance(60_000);
    assert!(!session.check(check).passed);
}
