//! The lesson panel's own words in both page languages (lesson texts come from the lesson
//! files). One struct per language, so a string missing in either does not compile.

use crate::i18n::Lang;

pub struct Strings {
    pub lessons: &'static str,
    pub pick_hint: &'static str,
    pub all_lessons: &'static str,
    pub step_of: fn(usize, usize) -> String,
    pub steps_done: fn(usize, usize) -> String,
    pub try_these: &'static str,
    pub command_hint: &'static str,
    pub type_command: &'static str,
    pub files: &'static str,
    pub open_in_editor: &'static str,
    pub checks: &'static str,
    pub passed: &'static str,
    pub not_yet: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub step_done: &'static str,
    pub broken_lessons: &'static str,
}

const EN: Strings = Strings {
    lessons: "Lessons",
    pick_hint: "Guided lessons that follow the classic Kubernetes exercises. Pick one; the checks turn green when the cluster really is in the state a step describes.",
    all_lessons: "All lessons",
    step_of: |n, m| format!("Step {n} of {m}"),
    steps_done: |n, m| format!("{n}/{m} steps done"),
    try_these: "Try",
    command_hint: "Click a command to type it into the terminal, then press Enter.",
    type_command: "Type this command into the terminal",
    files: "Files",
    open_in_editor: "Open in editor",
    checks: "Checks",
    passed: "passed",
    not_yet: "not yet",
    previous: "Previous",
    next: "Next",
    step_done: "All checks pass: on to the next step.",
    broken_lessons: "These lesson files could not be read:",
};

const ZH: Strings = Strings {
    lessons: "课程",
    pick_hint: "跟随经典 Kubernetes 练习的引导式课程。选择一门课程；当集群真的处于步骤描述的状态时，检查项会变绿。",
    all_lessons: "全部课程",
    step_of: |n, m| format!("第 {n} 步，共 {m} 步"),
    steps_done: |n, m| format!("已完成 {n}/{m} 步"),
    try_these: "试一试",
    command_hint: "点击命令即可把它输入到终端，然后按回车。",
    type_command: "把这条命令输入到终端",
    files: "文件",
    open_in_editor: "在编辑器中打开",
    checks: "检查",
    passed: "已通过",
    not_yet: "尚未通过",
    previous: "上一步",
    next: "下一步",
    step_done: "所有检查都已通过：继续下一步吧。",
    broken_lessons: "以下课程文件无法读取：",
};

pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

/// The lesson files' language for the page's.
pub fn lesson_lang(lang: Lang) -> lab::lesson::Lang {
    match lang {
        Lang::En => lab::lesson::Lang::En,
        Lang::Zh => lab::lesson::Lang::Zh,
    }
}
