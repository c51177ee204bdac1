//! Request options, shaped like the metav1 option structs a REST layer would decode.

/// Options of a create (metav1.CreateOptions).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateOptions {
    /// `dryRun=All`: run every step but store nothing.
    pub dry_run: bool,
}

/// Options of an update or status update (metav1.UpdateOptions).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateOptions {
    /// `dryRun=All`.
    pub dry_run: bool,
}

/// Options of a patch (metav1.PatchOptions).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatchOptions {
    /// `dryRun=All`.
    pub dry_run: bool,
}

/// How dependents are treated when their owner is deleted (metav1.DeletionPropagation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropagationPolicy {
    /// Delete the owner now; the garbage collector deletes dependents afterwards.
    Background,
    /// Keep the owner (with the `foregroundDeletion` finalizer) until blocking dependents are
    /// gone.
    Foreground,
    /// Keep dependents, removing their owner references (`orphan` finalizer).
    Orphan,
}

/// Delete preconditions (metav1.Preconditions).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preconditions {
    pub uid: Option<String>,
    pub resource_version: Option<String>,
}

/// Options of a delete (metav1.DeleteOptions).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteOptions {
    /// Seconds before the object is removed; pods default to their
    /// `terminationGracePeriodSeconds`. `Some(0)` removes at once (force).
    pub grace_period_seconds: Option<i64>,
    pub preconditions: Option<Preconditions>,
    /// None means the kind's default, Background.
    pub propagation_policy: Option<PropagationPolicy>,
    /// `dryRun=All`.
    pub dry_run: bool,
}

/// Options of a list (metav1.ListOptions).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListOptions {
    /// `kubectl -l` syntax; empty selects everything.
    pub label_selector: String,
    /// `kubectl --field-selector` syntax; empty selects everything.
    pub field_selector: String,
    /// At most this many items; a continue token is returned when more remain.
    pub limit: Option<usize>,
    /// The token of the previous page.
    pub continue_token: Option<String>,
}

/// Options of a watch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WatchOptions {
    pub label_selector: String,
    pub field_selector: String,
    /// Resume after this resourceVersion. None or `"0"` starts with a synthetic `ADDED` for
    /// every current object, as an unversioned watch does upstream.
    pub resource_version: Option<String>,
}
