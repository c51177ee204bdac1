//! Every string the page's frame shows, in English and Chinese. `Texts` is one struct per
//! language, so a string missing in either language does not compile. Simulator output
//! (kubectl's words) stays English, as a real terminal's does.

use lab::{LinkError, Preset};

/// The page's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The BCP 47 tag, for `<html lang>` and storage.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language's own name, as the picker lists it.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "中文",
        }
    }

    pub fn t(self) -> &'static Texts {
        match self {
            Lang::En => &EN,
            Lang::Zh => &ZH,
        }
    }

    /// A preset as the picker names it.
    pub fn preset(self, p: Preset) -> String {
        match (self, p) {
            (Lang::En, Preset::Minikube) => "minikube (1 node)".into(),
            (Lang::En, Preset::Multinode) => "multinode (3 nodes)".into(),
            (Lang::En, Preset::Kubeadm) => "kubeadm (3 nodes)".into(),
            (Lang::En, Preset::Large(n)) => format!("large ({n} workers)"),
            (Lang::Zh, Preset::Minikube) => "minikube（1 个节点）".into(),
            (Lang::Zh, Preset::Multinode) => "multinode（3 个节点）".into(),
            (Lang::Zh, Preset::Kubeadm) => "kubeadm（3 个节点）".into(),
            (Lang::Zh, Preset::Large(n)) => format!("large（{n} 个工作节点）"),
        }
    }

    /// The locale Monaco loads its own UI strings in (`vs/nls.messages.<locale>.js`);
    /// empty for its built-in English.
    pub fn monaco_locale(self) -> &'static str {
        match self {
            Lang::En => "",
            Lang::Zh => "zh-cn",
        }
    }

    /// What the page shows while a preset's cluster is being built.
    pub fn building(self, p: Preset) -> String {
        match self {
            Lang::En => format!("Building the {} cluster…", self.preset(p)),
            Lang::Zh => format!("正在创建 {} 集群…", self.preset(p)),
        }
    }

    /// How far a preset's build got: "1,200 / 5,001 nodes joined".
    pub fn nodes_joined(self, joined: usize, total: usize) -> String {
        let (joined, total) = (grouped(joined), grouped(total));
        match self {
            Lang::En => format!("{joined} / {total} nodes joined"),
            Lang::Zh => format!("已加入 {joined} / {total} 个节点"),
        }
    }

    /// After the nodes joined, while the preset's system pods start.
    pub fn system_pods_starting(self) -> &'static str {
        match self {
            Lang::En => "Starting the system pods (CoreDNS, kube-proxy)…",
            Lang::Zh => "正在启动系统 Pod（CoreDNS、kube-proxy）…",
        }
    }

    /// The terminal's first line.
    pub fn welcome(self, p: Preset) -> String {
        match self {
            Lang::En => format!(
                "Welcome to kubelab: a {p} cluster is running. Type `help`, or try `kubectl get nodes`. Tab completes."
            ),
            Lang::Zh => format!(
                "欢迎使用 kubelab：一个 {p} 集群正在运行。输入 `help`，或试试 `kubectl get nodes`。按 Tab 键补全。"
            ),
        }
    }

    /// The banner after opening a shared lab.
    pub fn loaded(self, l: &Loaded) -> String {
        let lesson = match (&l.lesson, l.step) {
            (Some(name), Some(step)) => match self {
                Lang::En => format!(", lesson “{name}” step {step}"),
                Lang::Zh => format!("，课程“{name}”第 {step} 步"),
            },
            (Some(name), None) => match self {
                Lang::En => format!(", lesson “{name}”"),
                Lang::Zh => format!("，课程“{name}”"),
            },
            _ => String::new(),
        };
        match self {
            Lang::En => format!(
                "Loaded a shared lab: {} cluster, {} actions replayed, cluster time {}{lesson}. The cluster is paused.",
                l.preset, l.actions, l.clock
            ),
            Lang::Zh => format!(
                "已载入分享的实验：{} 集群，重放了 {} 个操作，集群时间 {}{lesson}。集群已暂停。",
                l.preset, l.actions, l.clock
            ),
        }
    }

    /// Why a link or lab file could not be opened.
    pub fn link_error(self, e: &LinkError) -> String {
        match self {
            Lang::En => e.to_string(),
            Lang::Zh => match e {
                LinkError::Empty => "链接中没有实验".into(),
                LinkError::TooLong { chars } => format!("链接过长（{chars} 个字符）"),
                LinkError::NotBase64 => "链接已损坏：不是有效的 base64url 文本".into(),
                LinkError::Truncated => "链接不完整：复制时被截断了".into(),
                LinkError::Corrupt => "链接已损坏：压缩数据无效".into(),
                LinkError::TooLarge => "链接解压后过大，已拒绝".into(),
                LinkError::NotALab(why) => format!("这不是 kubelab 实验：{why}"),
                LinkError::Version { found } => format!("链接由更新版本的 kubelab 生成（格式 {found}）"),
                LinkError::Invalid(why) => format!("链接中的实验无效：{why}"),
                LinkError::Replay(why) => format!("无法重放链接中的实验：{why}"),
            },
        }
    }

    /// The share panel's size line.
    pub fn link_size(self, bytes: usize) -> String {
        let kb = format!("{:.1}", bytes as f64 / 1024.0);
        match self {
            Lang::En => format!("Link size: {kb} KB ({bytes} characters)"),
            Lang::Zh => format!("链接大小：{kb} KB（{bytes} 个字符）"),
        }
    }

    pub fn terminal_tab(self, n: u32) -> String {
        match self {
            Lang::En => format!("Terminal {n}"),
            Lang::Zh => format!("终端 {n}"),
        }
    }

    pub fn problems(self, n: usize) -> String {
        match self {
            Lang::En if n == 1 => "1 problem".into(),
            Lang::En => format!("{n} problems"),
            Lang::Zh => format!("{n} 个问题"),
        }
    }
}

/// What the "loaded a shared lab" banner reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub preset: Preset,
    pub actions: usize,
    pub clock: String,
    pub lesson: Option<String>,
    pub step: Option<u32>,
}

/// The fixed strings of the page's frame.
pub struct Texts {
    pub tagline: &'static str,
    pub preset_label: &'static str,
    pub time_group: &'static str,
    pub play: &'static str,
    pub pause: &'static str,
    pub play_label: &'static str,
    pub pause_label: &'static str,
    pub step_1s_title: &'static str,
    pub step_10s_title: &'static str,
    pub next_event: &'static str,
    pub next_event_title: &'static str,
    pub speed: &'static str,
    pub cluster_time: &'static str,
    pub clock_title: &'static str,
    pub reset: &'static str,
    pub reset_title: &'static str,
    pub share: &'static str,
    pub share_title: &'static str,
    pub language: &'static str,
    pub theme_dark: &'static str,
    pub theme_light: &'static str,
    pub theme_title: &'static str,
    pub menu: &'static str,
    pub restore: &'static str,
    pub export: &'static str,
    pub import: &'static str,
    pub share_heading: &'static str,
    pub share_hint: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub close: &'static str,
    pub dismiss: &'static str,
    pub link_failed: &'static str,
    pub kept_your_lab: &'static str,
    pub import_failed: &'static str,
    pub imported: &'static str,
    pub restored: &'static str,
    pub nothing_saved: &'static str,
    pub terminal: &'static str,
    pub terminal_input: &'static str,
    pub new_tab: &'static str,
    pub close_tab: &'static str,
    pub completions: &'static str,
    pub editor_loading: &'static str,
    pub editor_failed: &'static str,
    pub apply: &'static str,
    pub apply_title: &'static str,
    pub templates: &'static str,
    pub insert_template: &'static str,
    pub checking: &'static str,
    pub dry_run_ok: &'static str,
    pub resize_sidebar: &'static str,
    pub resize_editor: &'static str,
    pub resize_terminal: &'static str,
    pub editor_tabs: &'static str,
    /// Shown while the editor has focus: how a keyboard user leaves it (Tab indents).
    pub leave_editor: &'static str,
    /// Shown while the terminal's input has focus (Tab completes there).
    pub leave_terminal: &'static str,
    pub save_edit: &'static str,
    pub save_edit_title: &'static str,
    pub close_edit: &'static str,
    pub explain: &'static str,
    pub explain_title: &'static str,
    pub no_field: &'static str,
    pub descriptions_failed: &'static str,
    pub descriptions_failed_title: &'static str,
    /// The editor's own menus keep the language they loaded in until the page reloads.
    pub editor_locale_note: &'static str,
    pub reload_page: &'static str,
    pub required: &'static str,
    pub activity: &'static str,
    pub activity_label: &'static str,
    pub seconds: &'static str,
}

pub static EN: Texts = Texts {
    tagline: "a Kubernetes cluster in your browser",
    preset_label: "Cluster",
    time_group: "Cluster time",
    play: "Play",
    pause: "Pause",
    play_label: "Run the cluster",
    pause_label: "Pause the cluster",
    step_1s_title: "Let 1 second of cluster time pass",
    step_10s_title: "Let 10 seconds of cluster time pass",
    next_event: "Next event",
    next_event_title: "Run the cluster up to the next thing it has scheduled",
    speed: "Speed",
    cluster_time: "cluster time",
    clock_title: "Virtual cluster time since the cluster started",
    reset: "Reset",
    reset_title: "Start this cluster preset again from scratch",
    share: "Share",
    share_title: "Make a link that holds this whole lab",
    language: "Language",
    theme_dark: "Dark",
    theme_light: "Light",
    theme_title: "Switch between the light and dark theme",
    menu: "Lab",
    restore: "Restore last lab",
    export: "Export lab file",
    import: "Import lab file",
    share_heading: "Share this lab",
    share_hint: "Whoever opens this link gets this lab replayed to the same cluster time, paused.",
    copy: "Copy",
    copied: "Copied",
    close: "Close",
    dismiss: "Dismiss",
    link_failed: "This lab link could not be opened:",
    kept_your_lab: "Your own lab was kept.",
    import_failed: "This lab file could not be opened:",
    imported: "Imported the lab file. The cluster is paused.",
    restored: "Restored your last lab.",
    nothing_saved: "There is no saved lab in this browser yet.",
    terminal: "Terminal",
    terminal_input: "Terminal command",
    new_tab: "New terminal tab",
    close_tab: "Close this terminal tab",
    completions: "Completions",
    editor_loading: "Loading editor…",
    editor_failed: "The editor could not load:",
    apply: "Apply",
    apply_title: "kubectl apply -f manifest.yaml",
    templates: "Templates",
    insert_template: "Insert a template…",
    checking: "Checking…",
    dry_run_ok: "Server dry run:",
    resize_sidebar: "Resize the lesson panel",
    resize_editor: "Resize the editor",
    resize_terminal: "Resize the terminal",
    editor_tabs: "Editor files",
    leave_editor: "Esc, then Tab: leave the editor",
    leave_terminal: "Esc, then Tab: leave the terminal",
    save_edit: "Save edit",
    save_edit_title: "Save this buffer: kubectl edit applies it to the live object (Ctrl+S)",
    close_edit: "Close without saving: the edit is cancelled",
    explain: "Explain",
    explain_title: "kubectl explain the field under the cursor (Ctrl+Shift+E)",
    no_field: "No Kubernetes field under the cursor: put it on a field of a known kind.",
    descriptions_failed: "Field descriptions could not load:",
    descriptions_failed_title: "Completion, hover and kubectl explain show the fields without their descriptions. Reload the page to try again.",
    editor_locale_note: "The editor's menus switch to English when the page reloads; your text is kept.",
    reload_page: "Reload now",
    required: "required",
    activity: "Terminal activity",
    activity_label: "Commands run over time",
    seconds: "seconds",
};

pub static ZH: Texts = Texts {
    tagline: "浏览器里的 Kubernetes 集群",
    preset_label: "集群",
    time_group: "集群时间",
    play: "运行",
    pause: "暂停",
    play_label: "让集群运行",
    pause_label: "暂停集群",
    step_1s_title: "让集群时间前进 1 秒",
    step_10s_title: "让集群时间前进 10 秒",
    next_event: "下一事件",
    next_event_title: "让集群运行到下一个已安排的事件",
    speed: "速度",
    cluster_time: "集群时间",
    clock_title: "集群启动以来的虚拟时间",
    reset: "重置",
    reset_title: "从头重新启动这个集群预设",
    share: "分享",
    share_title: "生成包含整个实验的链接",
    language: "语言",
    theme_dark: "深色",
    theme_light: "浅色",
    theme_title: "在浅色和深色主题之间切换",
    menu: "实验",
    restore: "恢复上次的实验",
    export: "导出实验文件",
    import: "导入实验文件",
    share_heading: "分享这个实验",
    share_hint: "打开此链接的人会得到重放到同一集群时间的这个实验，处于暂停状态。",
    copy: "复制",
    copied: "已复制",
    close: "关闭",
    dismiss: "知道了",
    link_failed: "无法打开这个实验链接：",
    kept_your_lab: "你自己的实验已保留。",
    import_failed: "无法打开这个实验文件：",
    imported: "已导入实验文件。集群已暂停。",
    restored: "已恢复你上次的实验。",
    nothing_saved: "这个浏览器里还没有保存的实验。",
    terminal: "终端",
    terminal_input: "终端命令",
    new_tab: "新建终端标签页",
    close_tab: "关闭这个终端标签页",
    completions: "补全候选",
    editor_loading: "正在加载编辑器…",
    editor_failed: "编辑器无法加载：",
    apply: "应用",
    apply_title: "kubectl apply -f manifest.yaml",
    templates: "模板",
    insert_template: "插入模板…",
    checking: "检查中…",
    dry_run_ok: "服务器端试运行：",
    resize_sidebar: "调整课程面板大小",
    resize_editor: "调整编辑器大小",
    resize_terminal: "调整终端大小",
    editor_tabs: "编辑器文件",
    leave_editor: "先按 Esc 再按 Tab：离开编辑器",
    leave_terminal: "先按 Esc 再按 Tab：离开终端",
    save_edit: "保存编辑",
    save_edit_title: "保存此缓冲区：kubectl edit 把它应用到集群中的对象（Ctrl+S）",
    close_edit: "不保存并关闭：取消这次编辑",
    explain: "解释",
    explain_title: "用 kubectl explain 解释光标处的字段（Ctrl+Shift+E）",
    no_field: "光标处没有 Kubernetes 字段：请把光标放在已知类型的字段上。",
    descriptions_failed: "字段说明无法加载：",
    descriptions_failed_title: "补全、悬停提示和 kubectl explain 只显示字段，没有说明。重新加载页面可再试一次。",
    editor_locale_note: "编辑器的菜单在重新加载页面后切换为中文；你写的内容会保留。",
    reload_page: "立即重新加载",
    required: "必填",
    activity: "终端活动",
    activity_label: "随时间运行的命令数",
    seconds: "秒",
};

/// `5001` → `5,001`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
