//! Server-side table printing, as the API server answers `Accept: …;as=Table`.
//!
//! Mirrors pkg/printers/internalversion/printers.go @kubernetes-1.34 `AddHandlers`: each kind
//! has a column list (wide-only columns have priority 1) and a row function that fills the
//! placeholders (`<none>`, `<unknown>`, `<pending>`) and computes ages from the `now` it is
//! given. Kinds without a handler get the default `Name`/`Age` table. Column names are
//! upstream's; kubectl upper-cases them when it renders (`kubectl::render`).

mod core;
mod other;
mod pod;
mod workloads;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use api::{KindInfo, Object, ObjectRef};
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use crate::time::SimTime;

pub use self::core::*;
pub use self::other::*;
pub use self::pod::{pod_columns, print_pod};
pub use self::workloads::*;

/// The type of a column's cells (metav1.TableColumnDefinition `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    String,
    Integer,
    Date,
}

/// One column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Upstream's name, e.g. `Nominated Node`; kubectl prints it upper-cased.
    pub name: &'static str,
    pub kind: ColumnKind,
    /// 0 = always shown, 1 = only with `-o wide`.
    pub priority: u8,
}

/// One cell: text or an integer, printed as upstream prints the Go value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Int(i64),
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Text(s) => f.write_str(s),
            Cell::Int(i) => write!(f, "{i}"),
        }
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<i64> for Cell {
    fn from(i: i64) -> Cell {
        Cell::Int(i)
    }
}

impl From<i32> for Cell {
    fn from(i: i32) -> Cell {
        Cell::Int(i64::from(i))
    }
}

/// One row and the object it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub object: ObjectRef,
}

/// A printed table: the columns (wide ones only when asked for) and one row per object.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

/// Printing options that change cells (printers.GenerateOptions).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PrintOptions {
    /// `-o wide`: fill the priority-1 columns too.
    pub wide: bool,
}

impl Table {
    /// The cells as text, one `Vec` per row, for renderers and tests.
    pub fn text_rows(&self) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|r| r.cells.iter().map(ToString::to_string).collect())
            .collect()
    }
}

/// The columns of a kind's table (all of them, wide ones flagged).
pub fn columns(info: &KindInfo) -> &'static [Column] {
    match handler(info) {
        Some(h) => h.0,
        None => DEFAULT_COLUMNS,
    }
}

/// The row of one object.
pub fn print_row(obj: &Object, opts: &PrintOptions, now: SimTime) -> Row {
    let cells = match handler(obj.kind_info()) {
        Some((_, f)) => f(obj, opts, now),
        None => None,
    };
    Row {
        cells: cells.unwrap_or_else(|| default_cells(obj, now)),
        object: obj.object_ref(),
    }
}

/// The table of a list: the list printer loops the item printer.
pub fn print_table(
    info: &KindInfo,
    objs: &[Arc<Object>],
    opts: &PrintOptions,
    now: SimTime,
) -> Table {
    let columns = columns(info)
        .iter()
        .filter(|c| opts.wide || c.priority == 0)
        .copied()
        .collect();
    Table {
        columns,
        rows: objs.iter().map(|o| print_row(o, opts, now)).collect(),
    }
}

/// `Name`, `Age`: the table of kinds without a handler.
pub const DEFAULT_COLUMNS: &[Column] = &[col("Name"), col("Age")];

type RowFn = fn(&Object, &PrintOptions, SimTime) -> Option<Vec<Cell>>;

macro_rules! handlers {
    ($( $variant:ident => ($cols:expr, $print:path) ),* $(,)?) => {
        fn handler(info: &KindInfo) -> Option<(&'static [Column], RowFn)> {
            $(
                if variant_matches(info, stringify!($variant)) {
                    fn row(obj: &Object, opts: &PrintOptions, now: SimTime) -> Option<Vec<Cell>> {
                        match obj {
                            Object::$variant(o) => Some($print(o, opts, now).cells),
                            _ => None,
                        }
                    }
                    return Some(($cols, row as RowFn));
                }
            )*
            None
        }
    };
}

handlers! {
    Pod => (pod_columns(), print_pod),
    PodTemplate => (PODTEMPLATE_COLUMNS, print_pod_template),
    ReplicationController => (RC_COLUMNS, print_replication_controller),
    ReplicaSet => (RS_COLUMNS, print_replica_set),
    Deployment => (DEPLOYMENT_COLUMNS, print_deployment),
    DaemonSet => (DAEMONSET_COLUMNS, print_daemon_set),
    StatefulSet => (STATEFULSET_COLUMNS, print_stateful_set),
    Job => (JOB_COLUMNS, print_job),
    CronJob => (CRONJOB_COLUMNS, print_cron_job),
    Service => (SERVICE_COLUMNS, print_service),
    Endpoints => (ENDPOINTS_COLUMNS, print_endpoints),
    EndpointSlice => (ENDPOINTSLICE_COLUMNS, print_endpoint_slice),
    Node => (NODE_COLUMNS, print_node),
    Event => (EVENT_COLUMNS, print_event),
    EventsV1Event => (EVENT_COLUMNS, print_events_v1_event),
    Namespace => (NAMESPACE_COLUMNS, print_namespace),
    Secret => (SECRET_COLUMNS, print_secret),
    ConfigMap => (CONFIGMAP_COLUMNS, print_config_map),
    ServiceAccount => (SERVICEACCOUNT_COLUMNS, print_service_account),
    PersistentVolume => (PV_COLUMNS, print_persistent_volume),
    PersistentVolumeClaim => (PVC_COLUMNS, print_persistent_volume_claim),
    ResourceQuota => (RESOURCEQUOTA_COLUMNS, print_resource_quota),
    LimitRange => (CREATED_AT_COLUMNS, print_limit_range),
    Ingress => (INGRESS_COLUMNS, print_ingress),
    IngressClass => (INGRESSCLASS_COLUMNS, print_ingress_class),
    NetworkPolicy => (NETWORKPOLICY_COLUMNS, print_network_policy),
    HorizontalPodAutoscaler => (HPA_COLUMNS, print_hpa),
    HorizontalPodAutoscalerV1 => (HPA_COLUMNS, print_hpa_v1),
    Role => (CREATED_AT_COLUMNS, print_role),
    ClusterRole => (CREATED_AT_COLUMNS, print_cluster_role),
    RoleBinding => (BINDING_COLUMNS, print_role_binding),
    ClusterRoleBinding => (BINDING_COLUMNS, print_cluster_role_binding),
    Lease => (LEASE_COLUMNS, print_lease),
    PodDisruptionBudget => (PDB_COLUMNS, print_pdb),
    PriorityClass => (PRIORITYCLASS_COLUMNS, print_priority_class),
    StorageClass => (STORAGECLASS_COLUMNS, print_storage_class),
    ControllerRevision => (CONTROLLERREVISION_COLUMNS, print_controller_revision),
}

/// Whether the registry row `info` is the kind of `Object::<variant>`.
fn variant_matches(info: &KindInfo, variant: &str) -> bool {
    match variant {
        "HorizontalPodAutoscaler" => info.kind == variant && info.version == "v2",
        "HorizontalPodAutoscalerV1" => {
            info.kind == "HorizontalPodAutoscaler" && info.version == "v1"
        }
        "Event" => info.kind == "Event" && info.group.is_empty(),
        "EventsV1Event" => info.kind == "Event" && info.group == "events.k8s.io",
        _ => info.kind == variant,
    }
}

fn default_cells(obj: &Object, now: SimTime) -> Vec<Cell> {
    vec![
        obj.name().into(),
        age(obj.meta().creation_timestamp.as_ref(), now).into(),
    ]
}

// ---- helpers shared by the row functions ----

/// A default column of strings.
pub(crate) const fn col(name: &'static str) -> Column {
    Column {
        name,
        kind: ColumnKind::String,
        priority: 0,
    }
}

/// A default column of integers.
pub(crate) const fn int_col(name: &'static str) -> Column {
    Column {
        name,
        kind: ColumnKind::Integer,
        priority: 0,
    }
}

/// A wide-only column of strings.
pub(crate) const fn wide(name: &'static str) -> Column {
    Column {
        name,
        kind: ColumnKind::String,
        priority: 1,
    }
}

/// Mirrors translateTimestampSince: HumanDuration of `now - t`, `<unknown>` for no time.
pub fn age(t: Option<&metav1::Time>, now: SimTime) -> String {
    match t {
        None => "<unknown>".into(),
        Some(t) => machinery::duration::human_duration_ms(now.millis_since(t)),
    }
}

/// Mirrors labels.FormatLabels: `k=v` sorted by key, `<none>` when empty.
pub fn format_labels(labels: Option<&BTreeMap<String, String>>) -> String {
    let s = labels
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    if s.is_empty() { "<none>".into() } else { s }
}

/// Mirrors metav1.FormatLabelSelector: `<none>` for none or empty, `<error>` when invalid.
pub fn format_label_selector(sel: Option<&metav1::LabelSelector>) -> String {
    let Some(sel) = sel else {
        return "<none>".into();
    };
    match api::selectors::label_selector_to_selector(sel) {
        Err(_) => "<error>".into(),
        Ok(s) => {
            let s = s.to_string();
            if s.is_empty() { "<none>".into() } else { s }
        }
    }
}

/// The canonical text of a quantity, as `Quantity.String()` prints it.
pub fn quantity_string(q: &k8s_openapi::apimachinery::pkg::api::resource::Quantity) -> String {
    machinery::quantity::Quantity::parse(&q.0)
        .map(|p| p.to_string())
        .unwrap_or_else(|_| q.0.clone())
}

/// Mirrors listWithMoreString: `a,b,c + N more...`, or `empty` when there is nothing.
pub(crate) fn list_with_more(
    list: &[String],
    more: bool,
    count: usize,
    max: usize,
    empty: &str,
) -> String {
    let ret = list.join(",");
    if more {
        return format!("{ret} + {} more...", count.saturating_sub(max));
    }
    if ret.is_empty() { empty.into() } else { ret }
}

#[cfg(test)]
mod tests;
