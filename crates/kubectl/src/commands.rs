//! The command tree: every verb kubectl has, its flags, and the text of its `--help`.
//!
//! Names, groups and one-line descriptions mirror `kubectl --help` of v1.34
//! (staging/src/k8s.io/kubectl/pkg/cmd/cmd.go `NewKubectlCommand` groups); flag names and
//! defaults mirror each verb's `AddFlags`. Help bodies are shortened but keep kubectl's shape:
//! description, `Examples:`, `Options:`, `Usage:` and the `kubectl options` footer.

use crate::parse::{FlagKind, FlagSpec};

use FlagKind::{Array, Bool, Int, Slice, String as Str};

/// One command (`get`) or subcommand (`rollout status`).
#[derive(Debug)]
pub struct Command {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub short: &'static str,
    pub long: &'static str,
    pub examples: &'static str,
    pub usage: &'static str,
    pub flags: &'static [FlagSpec],
    pub subcommands: &'static [Command],
}

/// Flags every command accepts (kubectl's global options, `kubectl options`).
pub static GLOBAL_FLAGS: &[FlagSpec] = &[
    FlagSpec::new(
        "namespace",
        Str,
        "''",
        "If present, the namespace scope for this CLI request",
    )
    .short('n'),
    FlagSpec::new(
        "context",
        Str,
        "''",
        "The name of the kubeconfig context to use",
    ),
    FlagSpec::new(
        "cluster",
        Str,
        "''",
        "The name of the kubeconfig cluster to use",
    ),
    FlagSpec::new("user", Str, "''", "The name of the kubeconfig user to use"),
    FlagSpec::new(
        "kubeconfig",
        Str,
        "''",
        "Path to the kubeconfig file to use for CLI requests.",
    ),
    FlagSpec::new(
        "server",
        Str,
        "''",
        "The address and port of the Kubernetes API server",
    )
    .short('s'),
    FlagSpec::new(
        "request-timeout",
        Str,
        "'0'",
        "The length of time to wait before giving up on a single server request.",
    ),
    FlagSpec::new("v", Str, "0", "number for the log level verbosity").short('v'),
    FlagSpec::new(
        "as",
        Str,
        "''",
        "Username to impersonate for the operation.",
    ),
    FlagSpec::new(
        "as-group",
        Array,
        "[]",
        "Group to impersonate for the operation.",
    ),
    FlagSpec::new(
        "token",
        Str,
        "''",
        "Bearer token for authentication to the API server",
    ),
    FlagSpec::new(
        "insecure-skip-tls-verify",
        Bool,
        "false",
        "If true, the server's certificate will not be checked for validity.",
    ),
    FlagSpec::new(
        "match-server-version",
        Bool,
        "false",
        "Require server version to match client version",
    ),
    FlagSpec::new(
        "warnings-as-errors",
        Bool,
        "false",
        "Treat warnings received from the server as errors and exit with a non-zero exit code",
    ),
    FlagSpec::new("help", Bool, "false", "help for kubectl").short('h'),
];

const ALL_NAMESPACES: FlagSpec = FlagSpec::new("all-namespaces", Bool, "false", "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.").short('A');
const OUTPUT: FlagSpec = FlagSpec::new("output", Str, "''", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide).").short('o');
const OUTPUT_SHORT: FlagSpec = FlagSpec::new("output", Str, "''", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o');
const SELECTOR: FlagSpec = FlagSpec::new("selector", Str, "''", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.").short('l');
const FIELD_SELECTOR: FlagSpec = FlagSpec::new(
    "field-selector",
    Str,
    "''",
    "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type.",
);
const RECURSIVE: FlagSpec = FlagSpec::new("recursive", Bool, "false", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R');
const KUSTOMIZE: FlagSpec = FlagSpec::new(
    "kustomize",
    Str,
    "''",
    "Process the kustomization directory. This flag can't be used together with -f or -R.",
)
.short('k');
const DRY_RUN: FlagSpec = FlagSpec::new("dry-run", Str, "'none'", "Must be \"none\", \"server\", or \"client\". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.").no_opt("unchanged");
const SHOW_MANAGED: FlagSpec = FlagSpec::new(
    "show-managed-fields",
    Bool,
    "false",
    "If true, keep the managedFields when printing objects in JSON or YAML format.",
);
const TEMPLATE: FlagSpec = FlagSpec::new(
    "template",
    Str,
    "''",
    "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].",
);
const ALLOW_MISSING: FlagSpec = FlagSpec::new(
    "allow-missing-template-keys",
    Bool,
    "true",
    "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.",
);
const FIELD_MANAGER: FlagSpec = FlagSpec::new(
    "field-manager",
    Str,
    "'kubectl-client-side-apply'",
    "Name of the manager used to track field ownership.",
);
const VALIDATE: FlagSpec = FlagSpec::new(
    "validate",
    Str,
    "'strict'",
    "Must be one of: strict (or true), warn, ignore (or false).",
)
.no_opt("strict");
const SAVE_CONFIG: FlagSpec = FlagSpec::new(
    "save-config",
    Bool,
    "false",
    "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.",
);
const RECORD: FlagSpec = FlagSpec::new(
    "record",
    Bool,
    "false",
    "Record current kubectl command in the resource annotation. If set to false, do not record the command. If set to true, record the command. If not set, default to updating the existing annotation value only if one already exists.",
);
const OVERWRITE: FlagSpec = FlagSpec::new(
    "overwrite",
    Bool,
    "false",
    "If true, allow labels to be overwritten, otherwise reject label updates that overwrite existing labels.",
);
const ALL: FlagSpec = FlagSpec::new(
    "all",
    Bool,
    "false",
    "Select all resources, in the namespace of the specified resource types",
);
const LOCAL: FlagSpec = FlagSpec::new(
    "local",
    Bool,
    "false",
    "If true, annotation will NOT contact api-server but run locally.",
);
const RESOURCE_VERSION: FlagSpec = FlagSpec::new(
    "resource-version",
    Str,
    "''",
    "If non-empty, the update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource.",
);
const TIMEOUT: FlagSpec = FlagSpec::new(
    "timeout",
    Str,
    "0s",
    "The length of time to wait before giving up, zero means determine a timeout from the size of the object",
);
const CONTAINER: FlagSpec = FlagSpec::new("container", Str, "''", "Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen").short('c');

static GET_FLAGS: &[FlagSpec] = &[
    ALL_NAMESPACES,
    ALLOW_MISSING,
    FlagSpec::new("chunk-size", Int, "500", "Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future."),
    FIELD_SELECTOR,
    FlagSpec::new("filename", Slice, "[]", "Filename, directory, or URL to files identifying the resource to get from a server.").short('f'),
    FlagSpec::new("ignore-not-found", Bool, "false", "If set to true, suppresses NotFound error for specific objects that do not exist. Using this flag with commands that query for collections of resources has no effect when no resources are found."),
    KUSTOMIZE,
    FlagSpec::new("label-columns", Slice, "[]", "Accepts a comma separated list of labels that are going to be presented as columns. Names are case-sensitive. You can also use multiple flag options like -L label1 -L label2...").short('L'),
    FlagSpec::new("no-headers", Bool, "false", "When using the default or custom-column output format, don't print headers (default print headers)."),
    OUTPUT,
    FlagSpec::new("output-watch-events", Bool, "false", "Output watch event objects when --watch or --watch-only is used. Existing objects are output as initial ADDED events."),
    FlagSpec::new("raw", Str, "''", "Raw URI to request from the server.  Uses the transport specified by the kubeconfig file."),
    RECURSIVE,
    SELECTOR,
    FlagSpec::new("server-print", Bool, "true", "If true, have the server return the appropriate table output. Supports extension APIs and CRDs."),
    FlagSpec::new("show-kind", Bool, "false", "If present, list the resource type for the requested object(s)."),
    FlagSpec::new("show-labels", Bool, "false", "When printing, show all labels as the last column (default hide labels column)"),
    SHOW_MANAGED,
    FlagSpec::new("sort-by", Str, "''", "If non-empty, sort list types using this field specification.  The field specification is expressed as a JSONPath expression (e.g. '{.metadata.name}'). The field in the API resource specified by this JSONPath expression must be an integer or a string."),
    FlagSpec::new("subresource", Str, "''", "If specified, gets the subresource of the requested object."),
    TEMPLATE,
    FlagSpec::new("watch", Bool, "false", "After listing/getting the requested object, watch for changes.").short('w'),
    FlagSpec::new("watch-only", Bool, "false", "Watch for changes to the requested object(s), without listing/getting first."),
];

static CREATE_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    DRY_RUN,
    FlagSpec::new(
        "edit",
        Bool,
        "false",
        "Edit the API resource before creating",
    ),
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-create'",
        "Name of the manager used to track field ownership.",
    ),
    FlagSpec::new(
        "filename",
        Slice,
        "[]",
        "Filename, directory, or URL to files to use to create the resource",
    )
    .short('f'),
    KUSTOMIZE,
    OUTPUT_SHORT,
    FlagSpec::new(
        "raw",
        Str,
        "''",
        "Raw URI to POST to the server.  Uses the transport specified by the kubeconfig file.",
    ),
    RECURSIVE,
    SAVE_CONFIG,
    SELECTOR,
    SHOW_MANAGED,
    TEMPLATE,
    VALIDATE,
    FlagSpec::new(
        "windows-line-endings",
        Bool,
        "false",
        "Only relevant if --edit=true. Defaults to the line ending native to your platform.",
    ),
    RECORD,
];

static APPLY_FLAGS: &[FlagSpec] = &[
    FlagSpec::new("all", Bool, "false", "Select all resources in the namespace of the specified resource types."),
    ALLOW_MISSING,
    FlagSpec::new("cascade", Str, "'background'", "Must be \"background\", \"orphan\", or \"foreground\". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.").no_opt("background"),
    DRY_RUN, FIELD_MANAGER,
    FlagSpec::new("filename", Slice, "[]", "The files that contain the configurations to apply.").short('f'),
    FlagSpec::new("force", Bool, "false", "If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation."),
    FlagSpec::new("force-conflicts", Bool, "false", "If true, server-side apply will force the changes against conflicts."),
    FlagSpec::new("grace-period", Int, "-1", "Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion)."),
    KUSTOMIZE,
    FlagSpec::new("openapi-patch", Bool, "true", "If true, use openapi to calculate diff when the openapi presents and the resource can be found in the openapi spec. Otherwise, fall back to use baked-in types."),
    OUTPUT_SHORT,
    FlagSpec::new("overwrite", Bool, "true", "Automatically resolve conflicts between the modified and live configuration by using values from the modified configuration"),
    FlagSpec::new("prune", Bool, "false", "Automatically delete resource objects, that do not appear in the configs and are created by either apply or create --save-config. Should be used with either -l or --all."),
    RECURSIVE, SELECTOR,
    FlagSpec::new("server-side", Bool, "false", "If true, apply runs in the server instead of the client."),
    SHOW_MANAGED, TEMPLATE, TIMEOUT, VALIDATE,
    FlagSpec::new("wait", Bool, "false", "If true, wait for resources to be gone before returning. This waits for finalizers."),
    RECORD,
];

static DELETE_FLAGS: &[FlagSpec] = &[
    FlagSpec::new("all", Bool, "false", "Delete all resources, in the namespace of the specified resource types."),
    ALL_NAMESPACES,
    FlagSpec::new("cascade", Str, "'background'", "Must be \"background\", \"orphan\", or \"foreground\". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.").no_opt("background"),
    DRY_RUN, FIELD_SELECTOR,
    FlagSpec::new("filename", Slice, "[]", "containing the resource to delete.").short('f'),
    FlagSpec::new("force", Bool, "false", "If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation."),
    FlagSpec::new("grace-period", Int, "-1", "Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion)."),
    FlagSpec::new("ignore-not-found", Bool, "false", "Treat \"resource not found\" as a successful delete. Defaults to \"true\" when --all is specified."),
    FlagSpec::new("interactive", Bool, "false", "If true, delete resource only when user confirms.").short('i'),
    KUSTOMIZE,
    FlagSpec::new("now", Bool, "false", "If true, resources are signaled for immediate shutdown (same as --grace-period=1)."),
    FlagSpec::new("output", Str, "''", "Output mode. Use \"-o name\" for shorter output (resource/name).").short('o'),
    FlagSpec::new("raw", Str, "''", "Raw URI to DELETE to the server.  Uses the transport specified by the kubeconfig file."),
    RECURSIVE, SELECTOR, TIMEOUT,
    FlagSpec::new("wait", Bool, "true", "If true, wait for resources to be gone before returning. This waits for finalizers."),
];

static DESCRIBE_FLAGS: &[FlagSpec] = &[
    ALL_NAMESPACES,
    FlagSpec::new(
        "chunk-size",
        Int,
        "500",
        "Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future.",
    ),
    FlagSpec::new(
        "filename",
        Slice,
        "[]",
        "Filename, directory, or URL to files containing the resource to describe",
    )
    .short('f'),
    KUSTOMIZE,
    RECURSIVE,
    SELECTOR,
    FlagSpec::new(
        "show-events",
        Bool,
        "true",
        "If true, display events related to the described object.",
    ),
];

static RUN_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    FlagSpec::new(
        "annotations",
        Array,
        "[]",
        "Annotations to apply to the pod.",
    ),
    FlagSpec::new(
        "attach",
        Bool,
        "false",
        "If true, wait for the Pod to start running, and then attach to the Pod as if 'kubectl attach ...' were called.  Default false, unless '-i/--stdin' is set, in which case the default is true. With '--restart=Never' the exit code of the container process is returned.",
    ),
    FlagSpec::new(
        "command",
        Bool,
        "false",
        "If true and extra arguments are present, use them as the 'command' field in the container, rather than the 'args' field which is the default.",
    ),
    DRY_RUN,
    FlagSpec::new(
        "env",
        Array,
        "[]",
        "Environment variables to set in the container.",
    ),
    FlagSpec::new(
        "expose",
        Bool,
        "false",
        "If true, create a ClusterIP service associated with the pod.  Requires `--port`.",
    ),
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-run'",
        "Name of the manager used to track field ownership.",
    ),
    FlagSpec::new("image", Str, "''", "The image for the container to run."),
    FlagSpec::new(
        "image-pull-policy",
        Str,
        "''",
        "The image pull policy for the container.  If left empty, this value will not be specified by the client and defaulted by the server.",
    ),
    FlagSpec::new(
        "labels",
        Str,
        "''",
        "Comma separated labels to apply to the pod. Will override previous values.",
    )
    .short('l'),
    FlagSpec::new(
        "leave-stdin-open",
        Bool,
        "false",
        "If the pod is started in interactive mode or with stdin, leave stdin open after the first attach completes. By default, stdin will be closed after the first attach completes.",
    ),
    OUTPUT_SHORT,
    FlagSpec::new(
        "override-type",
        Str,
        "'merge'",
        "The method used to override the generated object: json, merge, or strategic.",
    ),
    FlagSpec::new(
        "overrides",
        Str,
        "''",
        "An inline JSON override for the generated object. If this is non-empty, it is used to override the generated object. Requires that the object supply a valid apiVersion field.",
    ),
    FlagSpec::new(
        "pod-running-timeout",
        Str,
        "1m0s",
        "The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running",
    ),
    FlagSpec::new("port", Str, "''", "The port that this container exposes."),
    FlagSpec::new(
        "privileged",
        Bool,
        "false",
        "If true, run the container in privileged mode.",
    ),
    FlagSpec::new("quiet", Bool, "false", "If true, suppress prompt messages.").short('q'),
    FlagSpec::new(
        "restart",
        Str,
        "'Always'",
        "The restart policy for this Pod.  Legal values [Always, OnFailure, Never].",
    ),
    FlagSpec::new(
        "rm",
        Bool,
        "false",
        "If true, delete the pod after it exits.  Only valid when attaching to the container, e.g. with '--attach' or with '-i/--stdin'.",
    ),
    SAVE_CONFIG,
    SHOW_MANAGED,
    FlagSpec::new(
        "stdin",
        Bool,
        "false",
        "Keep stdin open on the container in the pod, even if nothing is attached.",
    )
    .short('i'),
    TEMPLATE,
    FlagSpec::new(
        "tty",
        Bool,
        "false",
        "Allocate a TTY for the container in the pod.",
    )
    .short('t'),
];

static LABEL_FLAGS: &[FlagSpec] = &[
    ALL,
    ALL_NAMESPACES,
    ALLOW_MISSING,
    DRY_RUN,
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-label'",
        "Name of the manager used to track field ownership.",
    ),
    FIELD_SELECTOR,
    FlagSpec::new(
        "filename",
        Slice,
        "[]",
        "Filename, directory, or URL to files identifying the resource to update the labels",
    )
    .short('f'),
    KUSTOMIZE,
    FlagSpec::new(
        "list",
        Bool,
        "false",
        "If true, display the labels for a given resource.",
    ),
    FlagSpec::new(
        "local",
        Bool,
        "false",
        "If true, label will NOT contact api-server but run locally.",
    ),
    OUTPUT_SHORT,
    OVERWRITE,
    RECURSIVE,
    RESOURCE_VERSION,
    SELECTOR,
    SHOW_MANAGED,
    TEMPLATE,
];

static ANNOTATE_FLAGS: &[FlagSpec] = &[
    ALL,
    ALL_NAMESPACES,
    ALLOW_MISSING,
    DRY_RUN,
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-annotate'",
        "Name of the manager used to track field ownership.",
    ),
    FIELD_SELECTOR,
    FlagSpec::new(
        "filename",
        Slice,
        "[]",
        "Filename, directory, or URL to files identifying the resource to update the annotation",
    )
    .short('f'),
    KUSTOMIZE,
    FlagSpec::new(
        "list",
        Bool,
        "false",
        "If true, display the annotations for a given resource.",
    ),
    LOCAL,
    OUTPUT_SHORT,
    FlagSpec::new(
        "overwrite",
        Bool,
        "false",
        "If true, allow annotations to be overwritten, otherwise reject annotation updates that overwrite existing annotations.",
    ),
    RECURSIVE,
    RESOURCE_VERSION,
    SELECTOR,
    SHOW_MANAGED,
    TEMPLATE,
];

static SCALE_FLAGS: &[FlagSpec] = &[
    ALL,
    ALLOW_MISSING,
    FlagSpec::new(
        "current-replicas",
        Int,
        "-1",
        "Precondition for current size. Requires that the current size of the resource match this value in order to scale. -1 (default) for no condition.",
    ),
    DRY_RUN,
    FlagSpec::new(
        "filename",
        Slice,
        "[]",
        "Filename, directory, or URL to files identifying the resource to set a new size",
    )
    .short('f'),
    KUSTOMIZE,
    OUTPUT_SHORT,
    RECURSIVE,
    FlagSpec::new(
        "replicas",
        Int,
        "0",
        "The new desired number of replicas. Required.",
    ),
    FlagSpec::new(
        "resource-version",
        Str,
        "''",
        "Precondition for resource version. Requires that the current resource version match this value in order to scale.",
    ),
    SELECTOR,
    SHOW_MANAGED,
    TEMPLATE,
    TIMEOUT,
];

static EXPOSE_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    FlagSpec::new(
        "cluster-ip",
        Str,
        "''",
        "ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to 'None' to create a headless service.",
    ),
    DRY_RUN,
    FlagSpec::new(
        "external-ip",
        Str,
        "''",
        "Additional external IP address (not managed by Kubernetes) to accept for the service. If this IP is routed to a node, the service can be accessed by this IP in addition to its generated service IP.",
    ),
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-expose'",
        "Name of the manager used to track field ownership.",
    ),
    FlagSpec::new(
        "filename",
        Slice,
        "[]",
        "Filename, directory, or URL to files identifying the resource to expose a service",
    )
    .short('f'),
    KUSTOMIZE,
    FlagSpec::new(
        "labels",
        Str,
        "''",
        "Labels to apply to the service created by this call.",
    )
    .short('l'),
    FlagSpec::new(
        "load-balancer-ip",
        Str,
        "''",
        "IP to assign to the LoadBalancer. If empty, an ephemeral IP will be created and used (cloud-provider specific).",
    ),
    FlagSpec::new("name", Str, "''", "The name for the newly created object."),
    OUTPUT_SHORT,
    FlagSpec::new(
        "override-type",
        Str,
        "'merge'",
        "The method used to override the generated object: json, merge, or strategic.",
    ),
    FlagSpec::new(
        "overrides",
        Str,
        "''",
        "An inline JSON override for the generated object. If this is non-empty, it is used to override the generated object. Requires that the object supply a valid apiVersion field.",
    ),
    FlagSpec::new(
        "port",
        Str,
        "''",
        "The port that the service should serve on. Copied from the resource being exposed, if unspecified",
    ),
    FlagSpec::new(
        "protocol",
        Str,
        "''",
        "The network protocol for the service to be created. Default is 'TCP'.",
    ),
    RECURSIVE,
    SAVE_CONFIG,
    FlagSpec::new(
        "selector",
        Str,
        "''",
        "A label selector to use for this service. Only equality-based selector requirements are supported. If empty (the default) infer the selector from the replication controller or replica set.)",
    ),
    FlagSpec::new(
        "session-affinity",
        Str,
        "''",
        "If non-empty, set the session affinity for the service to this; legal values: 'None', 'ClientIP'",
    ),
    SHOW_MANAGED,
    FlagSpec::new(
        "target-port",
        Str,
        "''",
        "Name or number for the port on the container that the service should direct traffic to. Optional.",
    ),
    TEMPLATE,
    FlagSpec::new(
        "type",
        Str,
        "''",
        "Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'.",
    ),
];

static CREATE_COMMON: &[FlagSpec] = &[
    ALLOW_MISSING,
    DRY_RUN,
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-create'",
        "Name of the manager used to track field ownership.",
    ),
    OUTPUT_SHORT,
    SAVE_CONFIG,
    SHOW_MANAGED,
    TEMPLATE,
    VALIDATE,
];

static CREATE_DEPLOYMENT_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    DRY_RUN,
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-create'",
        "Name of the manager used to track field ownership.",
    ),
    FlagSpec::new(
        "image",
        Array,
        "[]",
        "Image names to run. A deployment can have multiple images set for multi-container pod.",
    ),
    OUTPUT_SHORT,
    FlagSpec::new(
        "port",
        Int,
        "-1",
        "The containerPort that this deployment exposes.",
    ),
    FlagSpec::new(
        "replicas",
        Int,
        "1",
        "Number of replicas to create. Default is 1.",
    )
    .short('r'),
    SAVE_CONFIG,
    SHOW_MANAGED,
    TEMPLATE,
    VALIDATE,
];

static CREATE_CONFIGMAP_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    FlagSpec::new(
        "append-hash",
        Bool,
        "false",
        "Append a hash of the configmap to its name.",
    ),
    DRY_RUN,
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-create'",
        "Name of the manager used to track field ownership.",
    ),
    FlagSpec::new(
        "from-env-file",
        Array,
        "[]",
        "Specify the path to a file to read lines of key=val pairs to create a configmap.",
    ),
    FlagSpec::new(
        "from-file",
        Array,
        "[]",
        "Key file can be specified using its file path, in which case file basename will be used as configmap key, or optionally with a key and file path, in which case the given key will be used.  Specifying a directory will iterate each named file in the directory whose basename is a valid configmap key.",
    ),
    FlagSpec::new(
        "from-literal",
        Array,
        "[]",
        "Specify a key and literal value to insert in configmap (i.e. mykey=somevalue)",
    ),
    OUTPUT_SHORT,
    SAVE_CONFIG,
    SHOW_MANAGED,
    TEMPLATE,
    VALIDATE,
];

static CREATE_SECRET_GENERIC_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    FlagSpec::new(
        "append-hash",
        Bool,
        "false",
        "Append a hash of the secret to its name.",
    ),
    DRY_RUN,
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-create'",
        "Name of the manager used to track field ownership.",
    ),
    FlagSpec::new(
        "from-env-file",
        Array,
        "[]",
        "Specify the path to a file to read lines of key=val pairs to create a secret.",
    ),
    FlagSpec::new(
        "from-file",
        Array,
        "[]",
        "Key files can be specified using their file path, in which case a default name will be given to them, or optionally with a name and file path, in which case the given name will be used.  Specifying a directory will iterate each named file in the directory that is a valid secret key.",
    ),
    FlagSpec::new(
        "from-literal",
        Array,
        "[]",
        "Specify a key and literal value to insert in secret (i.e. mykey=somevalue)",
    ),
    OUTPUT_SHORT,
    SAVE_CONFIG,
    SHOW_MANAGED,
    TEMPLATE,
    FlagSpec::new("type", Str, "''", "The type of secret to create"),
    VALIDATE,
];

static CREATE_JOB_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    DRY_RUN,
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-create'",
        "Name of the manager used to track field ownership.",
    ),
    FlagSpec::new("from", Str, "''", "The name of the resource to create a Job from (only cronjob is supported)."),
    FlagSpec::new("image", Str, "''", "Image name to run."),
    OUTPUT_SHORT,
    SAVE_CONFIG,
    SHOW_MANAGED,
    TEMPLATE,
    VALIDATE,
];

static CREATE_CRONJOB_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    DRY_RUN,
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-create'",
        "Name of the manager used to track field ownership.",
    ),
    FlagSpec::new("image", Str, "''", "Image name to run."),
    OUTPUT_SHORT,
    FlagSpec::new("restart", Str, "''", "job's restart policy. supported values: OnFailure, Never"),
    SAVE_CONFIG,
    FlagSpec::new("schedule", Str, "''", "A schedule in the Cron format the job should be run with."),
    SHOW_MANAGED,
    TEMPLATE,
    VALIDATE,
];

static CREATE_ROLE_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    DRY_RUN,
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-create'",
        "Name of the manager used to track field ownership.",
    ),
    OUTPUT_SHORT,
    FlagSpec::new("resource", Slice, "[]", "Resource that the rule applies to"),
    FlagSpec::new("resource-name", Array, "[]", "Resource in the white list that the rule applies to, repeat this flag for multiple items"),
    SAVE_CONFIG,
    SHOW_MANAGED,
    TEMPLATE,
    VALIDATE,
    FlagSpec::new("verb", Slice, "[]", "Verb that applies to the resources contained in the rule"),
];

static CREATE_CLUSTERROLE_FLAGS: &[FlagSpec] = &[
    FlagSpec::new("aggregation-rule", Str, "", "An aggregation label selector for combining ClusterRoles."),
    ALLOW_MISSING,
    DRY_RUN,
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-create'",
        "Name of the manager used to track field ownership.",
    ),
    FlagSpec::new("non-resource-url", Slice, "[]", "A partial url that user should have access to."),
    OUTPUT_SHORT,
    FlagSpec::new("resource", Slice, "[]", "Resource that the rule applies to"),
    FlagSpec::new("resource-name", Array, "[]", "Resource in the white list that the rule applies to, repeat this flag for multiple items"),
    SAVE_CONFIG,
    SHOW_MANAGED,
    TEMPLATE,
    VALIDATE,
    FlagSpec::new("verb", Slice, "[]", "Verb that applies to the resources contained in the rule"),
];

static CREATE_ROLEBINDING_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    FlagSpec::new("clusterrole", Str, "''", "ClusterRole this RoleBinding should reference"),
    DRY_RUN,
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-create'",
        "Name of the manager used to track field ownership.",
    ),
    FlagSpec::new("group", Array, "[]", "Groups to bind to the role. The flag can be repeated to add multiple groups."),
    OUTPUT_SHORT,
    FlagSpec::new("role", Str, "''", "Role this RoleBinding should reference"),
    SAVE_CONFIG,
    FlagSpec::new("serviceaccount", Array, "[]", "Service accounts to bind to the role, in the format <namespace>:<name>. The flag can be repeated to add multiple service accounts."),
    SHOW_MANAGED,
    TEMPLATE,
    FlagSpec::new("user", Array, "[]", "Usernames to bind to the role. The flag can be repeated to add multiple users."),
    VALIDATE,
];

static CREATE_CLUSTERROLEBINDING_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    FlagSpec::new("clusterrole", Str, "''", "ClusterRole this ClusterRoleBinding should reference"),
    DRY_RUN,
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-create'",
        "Name of the manager used to track field ownership.",
    ),
    FlagSpec::new("group", Array, "[]", "Groups to bind to the clusterrole. The flag can be repeated to add multiple groups."),
    OUTPUT_SHORT,
    SAVE_CONFIG,
    FlagSpec::new("serviceaccount", Array, "[]", "Service accounts to bind to the clusterrole, in the format <namespace>:<name>. The flag can be repeated to add multiple service accounts."),
    SHOW_MANAGED,
    TEMPLATE,
    FlagSpec::new("user", Array, "[]", "Usernames to bind to the clusterrole. The flag can be repeated to add multiple users."),
    VALIDATE,
];

static CREATE_INGRESS_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    FlagSpec::new("annotation", Array, "[]", "Annotation to insert in the ingress object, in the format annotation=value"),
    FlagSpec::new("class", Str, "''", "Ingress Class to be used"),
    FlagSpec::new("default-backend", Str, "''", "Default service for backend, in format of svcname:port"),
    DRY_RUN,
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-create'",
        "Name of the manager used to track field ownership.",
    ),
    OUTPUT_SHORT,
    FlagSpec::new("rule", Array, "[]", "Rule in format host/path=service:port[,tls=secretname]. Paths containing the leading character '*' are considered pathType=Prefix. tls argument is optional."),
    SAVE_CONFIG,
    SHOW_MANAGED,
    TEMPLATE,
    VALIDATE,
];

static CREATE_QUOTA_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    DRY_RUN,
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-create'",
        "Name of the manager used to track field ownership.",
    ),
    FlagSpec::new("hard", Str, "''", "A comma-delimited set of resource=quantity pairs that define a hard limit."),
    OUTPUT_SHORT,
    SAVE_CONFIG,
    FlagSpec::new("scopes", Str, "''", "A comma-delimited set of quota scopes that must all match each object tracked by the quota."),
    SHOW_MANAGED,
    TEMPLATE,
    VALIDATE,
];

static CREATE_PRIORITYCLASS_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    FlagSpec::new("description", Str, "''", "description is an arbitrary string that usually provides guidelines on when this priority class should be used."),
    DRY_RUN,
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-create'",
        "Name of the manager used to track field ownership.",
    ),
    FlagSpec::new("global-default", Bool, "false", "global-default specifies whether this PriorityClass should be considered as the default priority."),
    OUTPUT_SHORT,
    FlagSpec::new("preemption-policy", Str, "'PreemptLowerPriority'", "preemption-policy is the policy for preempting pods with lower priority."),
    SAVE_CONFIG,
    SHOW_MANAGED,
    TEMPLATE,
    VALIDATE,
    FlagSpec::new("value", Int, "0", "the value of this priority class."),
];

static CREATE_PDB_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    DRY_RUN,
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-create'",
        "Name of the manager used to track field ownership.",
    ),
    FlagSpec::new("max-unavailable", Str, "''", "The maximum number or percentage of unavailable pods this budget requires."),
    FlagSpec::new("min-available", Str, "''", "The minimum number or percentage of available pods this budget requires."),
    OUTPUT_SHORT,
    SAVE_CONFIG,
    FlagSpec::new("selector", Str, "''", "A label selector to use for this budget. Only equality-based selector requirements are supported."),
    SHOW_MANAGED,
    TEMPLATE,
    VALIDATE,
];

static CREATE_SECRET_TLS_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    FlagSpec::new("append-hash", Bool, "false", "Append a hash of the secret to its name."),
    FlagSpec::new("cert", Str, "''", "Path to PEM encoded public key certificate."),
    DRY_RUN,
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-create'",
        "Name of the manager used to track field ownership.",
    ),
    FlagSpec::new("key", Str, "''", "Path to private key associated with given certificate."),
    OUTPUT_SHORT,
    SAVE_CONFIG,
    SHOW_MANAGED,
    TEMPLATE,
    VALIDATE,
];

static CREATE_SECRET_DOCKER_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    FlagSpec::new("append-hash", Bool, "false", "Append a hash of the secret to its name."),
    FlagSpec::new("docker-email", Str, "''", "Email for Docker registry"),
    FlagSpec::new("docker-password", Str, "''", "Password for Docker registry authentication"),
    FlagSpec::new("docker-server", Str, "'https://index.docker.io/v1/'", "Server location for Docker registry"),
    FlagSpec::new("docker-username", Str, "''", "Username for Docker registry authentication"),
    DRY_RUN,
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-create'",
        "Name of the manager used to track field ownership.",
    ),
    FlagSpec::new("from-file", Slice, "[]", "Key files can be specified using their file path, in which case a default name will be given to them, or optionally with a name and file path, in which case the given name will be used.  Specifying a directory will iterate each named file in the directory that is a valid secret key."),
    OUTPUT_SHORT,
    SAVE_CONFIG,
    SHOW_MANAGED,
    TEMPLATE,
    VALIDATE,
];

static CREATE_SERVICE_EXTERNALNAME_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    DRY_RUN,
    FlagSpec::new("external-name", Str, "''", "External name of service"),
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-create'",
        "Name of the manager used to track field ownership.",
    ),
    OUTPUT_SHORT,
    SAVE_CONFIG,
    SHOW_MANAGED,
    FlagSpec::new(
        "tcp",
        Slice,
        "[]",
        "Port pairs can be specified as '<port>:<targetPort>'.",
    ),
    TEMPLATE,
    VALIDATE,
];

static CREATE_SERVICE_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    FlagSpec::new(
        "clusterip",
        Str,
        "''",
        "Assign your own ClusterIP or set to 'None' for a 'headless' service (no loadbalancing).",
    ),
    DRY_RUN,
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-create'",
        "Name of the manager used to track field ownership.",
    ),
    FlagSpec::new(
        "node-port",
        Int,
        "0",
        "Port used to expose the service on each node in a cluster.",
    ),
    OUTPUT_SHORT,
    SAVE_CONFIG,
    SHOW_MANAGED,
    FlagSpec::new(
        "tcp",
        Slice,
        "[]",
        "Port pairs can be specified as '<port>:<targetPort>'.",
    ),
    TEMPLATE,
    VALIDATE,
];

static SET_IMAGE_FLAGS: &[FlagSpec] = &[
    ALL,
    ALLOW_MISSING,
    DRY_RUN,
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-set'",
        "Name of the manager used to track field ownership.",
    ),
    FlagSpec::new(
        "filename",
        Slice,
        "[]",
        "Filename, directory, or URL to files identifying the resource to get from a server.",
    )
    .short('f'),
    KUSTOMIZE,
    LOCAL,
    OUTPUT_SHORT,
    RECURSIVE,
    SELECTOR,
    SHOW_MANAGED,
    TEMPLATE,
    RECORD,
];

static ROLLOUT_COMMON: &[FlagSpec] = &[
    ALLOW_MISSING,
    FlagSpec::new(
        "filename",
        Slice,
        "[]",
        "Filename, directory, or URL to files identifying the resource to get from a server.",
    )
    .short('f'),
    KUSTOMIZE,
    OUTPUT_SHORT,
    RECURSIVE,
    SELECTOR,
    SHOW_MANAGED,
    TEMPLATE,
];

static ROLLOUT_STATUS_FLAGS: &[FlagSpec] = &[
    FlagSpec::new(
        "filename",
        Slice,
        "[]",
        "Filename, directory, or URL to files identifying the resource to get from a server.",
    )
    .short('f'),
    KUSTOMIZE,
    RECURSIVE,
    FlagSpec::new(
        "revision",
        Int,
        "0",
        "Pin to a specific revision for showing its status. Defaults to 0 (last revision).",
    ),
    SELECTOR,
    FlagSpec::new(
        "timeout",
        Str,
        "0s",
        "The length of time to wait before ending watch, zero means never. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h).",
    ),
    FlagSpec::new(
        "watch",
        Bool,
        "true",
        "Watch the status of the rollout until it's done.",
    )
    .short('w'),
];

static ROLLOUT_HISTORY_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    FlagSpec::new(
        "filename",
        Slice,
        "[]",
        "Filename, directory, or URL to files identifying the resource to get from a server.",
    )
    .short('f'),
    KUSTOMIZE,
    OUTPUT_SHORT,
    RECURSIVE,
    FlagSpec::new(
        "revision",
        Int,
        "0",
        "See the details, including podTemplate of the revision specified",
    ),
    SELECTOR,
    SHOW_MANAGED,
    TEMPLATE,
];

static ROLLOUT_UNDO_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    DRY_RUN,
    FlagSpec::new(
        "filename",
        Slice,
        "[]",
        "Filename, directory, or URL to files identifying the resource to get from a server.",
    )
    .short('f'),
    KUSTOMIZE,
    OUTPUT_SHORT,
    RECURSIVE,
    SELECTOR,
    SHOW_MANAGED,
    TEMPLATE,
    FlagSpec::new(
        "to-revision",
        Int,
        "0",
        "The revision to rollback to. Default to 0 (last revision).",
    ),
];

static LOGS_FLAGS: &[FlagSpec] = &[
    FlagSpec::new(
        "all-containers",
        Bool,
        "false",
        "Get all containers' logs in the pod(s).",
    ),
    CONTAINER,
    FlagSpec::new(
        "follow",
        Bool,
        "false",
        "Specify if the logs should be streamed.",
    )
    .short('f'),
    FlagSpec::new(
        "ignore-errors",
        Bool,
        "false",
        "If watching / following pod logs, allow for any errors that occur to be non-fatal",
    ),
    FlagSpec::new(
        "insecure-skip-tls-verify-backend",
        Bool,
        "false",
        "Skip verifying the identity of the kubelet that logs are requested from.",
    ),
    FlagSpec::new(
        "limit-bytes",
        Int,
        "0",
        "Maximum bytes of logs to return. Defaults to no limit.",
    ),
    FlagSpec::new(
        "max-log-requests",
        Int,
        "5",
        "Specify maximum number of concurrent logs to follow when using by a selector. Defaults to 5.",
    ),
    FlagSpec::new(
        "pod-running-timeout",
        Str,
        "20s",
        "The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running",
    ),
    FlagSpec::new(
        "prefix",
        Bool,
        "false",
        "Prefix each log line with the log source (pod name and container name)",
    ),
    FlagSpec::new(
        "previous",
        Bool,
        "false",
        "If true, print the logs for the previous instance of the container in a pod if it exists.",
    )
    .short('p'),
    SELECTOR,
    FlagSpec::new(
        "since",
        Str,
        "0s",
        "Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs. Only one of since-time / since may be used.",
    ),
    FlagSpec::new(
        "since-time",
        Str,
        "''",
        "Only return logs after a specific date (RFC3339). Defaults to all logs. Only one of since-time / since may be used.",
    ),
    FlagSpec::new(
        "tail",
        Int,
        "-1",
        "Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided.",
    ),
    FlagSpec::new(
        "timestamps",
        Bool,
        "false",
        "Include timestamps on each line in the log output",
    ),
];

static PORT_FORWARD_FLAGS: &[FlagSpec] = &[
    FlagSpec::new("address", Slice, "[localhost]", "Addresses to listen on (comma separated). Only accepts IP addresses or localhost as a value. When localhost is supplied, kubectl will try to bind on both 127.0.0.1 and ::1 and will fail if neither of these addresses are available to bind."),
    FlagSpec::new("pod-running-timeout", Str, "1m0s", "The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running"),
];

static CP_FLAGS: &[FlagSpec] = &[
    FlagSpec::new("container", Str, "''", "Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen").short('c'),
    FlagSpec::new("no-preserve", Bool, "false", "The copied file/directory's ownership and permissions will not be preserved in the container"),
    FlagSpec::new("retries", Int, "0", "Set number of retries to complete a copy operation from a container. Specify 0 to disable or any negative value for infinite retrying. The default is 0 (no retry)."),
];

static EXEC_FLAGS: &[FlagSpec] = &[
    CONTAINER,
    FlagSpec::new("filename", Slice, "[]", "to use to exec into the resource").short('f'),
    FlagSpec::new(
        "pod-running-timeout",
        Str,
        "1m0s",
        "The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running",
    ),
    FlagSpec::new(
        "quiet",
        Bool,
        "false",
        "Only print output from the remote session",
    )
    .short('q'),
    FlagSpec::new("stdin", Bool, "false", "Pass stdin to the container").short('i'),
    FlagSpec::new("tty", Bool, "false", "Stdin is a TTY").short('t'),
];

static EDIT_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    FlagSpec::new("field-manager", Str, "'kubectl-edit'", "Name of the manager used to track field ownership."),
    FlagSpec::new("filename", Slice, "[]", "Filename, directory, or URL to files to use to edit the resource").short('f'),
    KUSTOMIZE,
    FlagSpec::new("output", Str, "''", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
    FlagSpec::new("output-patch", Bool, "false", "Output the patch if the resource is edited."),
    RECURSIVE, SAVE_CONFIG, SHOW_MANAGED,
    FlagSpec::new("subresource", Str, "''", "If specified, edit will operate on the subresource of the requested object."),
    TEMPLATE, VALIDATE,
    FlagSpec::new("windows-line-endings", Bool, "false", "Defaults to the line ending native to your platform."),
    RECORD,
];

static API_RESOURCES_FLAGS: &[FlagSpec] = &[
    FlagSpec::new(
        "api-group",
        Str,
        "''",
        "Limit to resources in the specified API group.",
    ),
    FlagSpec::new(
        "cached",
        Bool,
        "false",
        "Use the cached list of resources if available.",
    ),
    FlagSpec::new(
        "categories",
        Slice,
        "[]",
        "Limit to resources that belong to the specified categories.",
    ),
    FlagSpec::new(
        "namespaced",
        Bool,
        "true",
        "If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default.",
    ),
    FlagSpec::new(
        "no-headers",
        Bool,
        "false",
        "When using the default or custom-column output format, don't print headers (default print headers).",
    ),
    FlagSpec::new("output", Str, "''", "Output format. One of: (wide, name).").short('o'),
    FlagSpec::new(
        "sort-by",
        Str,
        "''",
        "If non-empty, sort list of resources using specified field. The field can be either 'name' or 'kind'.",
    ),
    FlagSpec::new(
        "verbs",
        Slice,
        "[]",
        "Limit to resources that support the specified verbs.",
    ),
];

static VERSION_FLAGS: &[FlagSpec] = &[
    FlagSpec::new(
        "client",
        Bool,
        "false",
        "If true, shows client version only (no server required).",
    ),
    FlagSpec::new("output", Str, "''", "One of 'yaml' or 'json'.").short('o'),
];

static CONFIG_VIEW_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    FlagSpec::new("flatten", Bool, "false", "Flatten the resulting kubeconfig file into self-contained output (useful for creating portable kubeconfig files)"),
    FlagSpec::new("merge", Bool, "true", "Merge the full hierarchy of kubeconfig files"),
    FlagSpec::new("minify", Bool, "false", "Remove all information not used by current-context from the output"),
    FlagSpec::new("output", Str, "'yaml'", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
    FlagSpec::new("raw", Bool, "false", "Display raw byte data and sensitive data"),
    SHOW_MANAGED, TEMPLATE,
];

static SET_CONTEXT_FLAGS: &[FlagSpec] = &[FlagSpec::new(
    "current",
    Bool,
    "false",
    "Modify the current context",
)];

static GET_CONTEXTS_FLAGS: &[FlagSpec] = &[
    FlagSpec::new(
        "no-headers",
        Bool,
        "false",
        "When using the default or custom-column output format, don't print headers (default print headers).",
    ),
    FlagSpec::new("output", Str, "''", "Output format. One of: (name).").short('o'),
];

static NODE_FLAGS: &[FlagSpec] = &[DRY_RUN, SELECTOR];

static DRAIN_FLAGS: &[FlagSpec] = &[
    FlagSpec::new(
        "chunk-size",
        Int,
        "500",
        "Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future.",
    ),
    FlagSpec::new(
        "delete-emptydir-data",
        Bool,
        "false",
        "Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).",
    ),
    FlagSpec::new(
        "disable-eviction",
        Bool,
        "false",
        "Force drain to use delete, even if eviction is supported. This will bypass checking PodDisruptionBudgets, use with caution.",
    ),
    DRY_RUN,
    FlagSpec::new(
        "force",
        Bool,
        "false",
        "Continue even if there are pods that do not declare a controller.",
    ),
    FlagSpec::new(
        "grace-period",
        Int,
        "-1",
        "Period of time in seconds given to each pod to terminate gracefully. If negative, the default value specified in the pod will be used.",
    ),
    FlagSpec::new(
        "ignore-daemonsets",
        Bool,
        "false",
        "Ignore DaemonSet-managed pods.",
    ),
    FlagSpec::new(
        "pod-selector",
        Str,
        "''",
        "Label selector to filter pods on the node",
    ),
    SELECTOR,
    FlagSpec::new(
        "skip-wait-for-delete-timeout",
        Int,
        "0",
        "If pod DeletionTimestamp older than N seconds, skip waiting for the pod.  Seconds must be greater than 0 to skip.",
    ),
    TIMEOUT,
];

static TAINT_FLAGS: &[FlagSpec] = &[
    FlagSpec::new("all", Bool, "false", "Select all nodes in the cluster"),
    ALLOW_MISSING,
    DRY_RUN,
    FlagSpec::new(
        "field-manager",
        Str,
        "'kubectl-taint'",
        "Name of the manager used to track field ownership.",
    ),
    OUTPUT_SHORT,
    FlagSpec::new(
        "overwrite",
        Bool,
        "false",
        "If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints.",
    ),
    SELECTOR,
    SHOW_MANAGED,
    TEMPLATE,
    VALIDATE,
];

static WAIT_FLAGS: &[FlagSpec] = &[
    ALL,
    ALL_NAMESPACES,
    ALLOW_MISSING,
    FIELD_SELECTOR,
    FlagSpec::new("filename", Slice, "[]", "identifying the resource.").short('f'),
    FlagSpec::new(
        "for",
        Str,
        "''",
        "The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true.  Condition values are compared after Unicode simple case folding, which is a more general form of case-insensitivity.",
    ),
    FlagSpec::new(
        "local",
        Bool,
        "false",
        "If true, annotation will NOT contact api-server but run locally.",
    ),
    OUTPUT_SHORT,
    RECURSIVE,
    SELECTOR,
    SHOW_MANAGED,
    TEMPLATE,
    FlagSpec::new(
        "timeout",
        Str,
        "30s",
        "The length of time to wait before giving up.  Zero means check once and don't wait, negative means wait for a week.",
    ),
];

static PROXY_FLAGS: &[FlagSpec] = &[
    FlagSpec::new("accept-hosts", Str, "'^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$'", "Regular expression for hosts that the proxy should accept."),
    FlagSpec::new("accept-paths", Str, "'^.*'", "Regular expression for paths that the proxy should accept."),
    FlagSpec::new("address", Str, "'127.0.0.1'", "The IP address on which to serve on."),
    FlagSpec::new("api-prefix", Str, "'/'", "Prefix to serve the proxied API under."),
    FlagSpec::new("append-server-path", Bool, "false", "If true, enables automatic path appending of the kube context server path to each request."),
    FlagSpec::new("disable-filter", Bool, "false", "If true, disable request filtering in the proxy. This is dangerous, and can leave you vulnerable to XSRF attacks, when used with an accessible port."),
    FlagSpec::new("keepalive", Str, "0s", "keepalive specifies the keep-alive period for an active network connection. Set to 0 to disable keepalive."),
    FlagSpec::new("port", Int, "8001", "The port on which to run the proxy. Set to 0 to pick a random port.").short('p'),
    FlagSpec::new("reject-methods", Str, "'^$'", "Regular expression for HTTP methods that the proxy should reject (example --reject-methods='POST,PUT,PATCH'). "),
    FlagSpec::new("reject-paths", Str, "'^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach'", "Regular expression for paths that the proxy should reject. Paths specified here will be rejected even accepted by --accept-paths."),
    FlagSpec::new("unix-socket", Str, "''", "Unix socket on which to run the proxy."),
    FlagSpec::new("www", Str, "''", "Also serve static files from the given directory under the specified prefix.").short('w'),
    FlagSpec::new("www-prefix", Str, "'/static/'", "Prefix to serve static files under, if static file directory is specified.").short('P'),
];

static TOP_FLAGS: &[FlagSpec] = &[
    ALL_NAMESPACES,
    FlagSpec::new(
        "containers",
        Bool,
        "false",
        "If present, print usage of containers within a pod.",
    ),
    FIELD_SELECTOR,
    FlagSpec::new(
        "no-headers",
        Bool,
        "false",
        "If present, print output without headers.",
    ),
    SELECTOR,
    FlagSpec::new(
        "sort-by",
        Str,
        "''",
        "If non-empty, sort pods list using specified field. The field can be either 'cpu' or 'memory'.",
    ),
    FlagSpec::new("sum", Bool, "false", "Print the sum of the resource usage"),
];

static AUTH_CAN_I_FLAGS: &[FlagSpec] = &[
    ALL_NAMESPACES,
    FlagSpec::new(
        "list",
        Bool,
        "false",
        "If true, prints all allowed actions.",
    ),
    FlagSpec::new(
        "no-headers",
        Bool,
        "false",
        "If true, prints allowed actions without headers",
    ),
    FlagSpec::new(
        "quiet",
        Bool,
        "false",
        "If true, suppress output and just return the exit code.",
    )
    .short('q'),
    FlagSpec::new(
        "subresource",
        Str,
        "''",
        "SubResource such as pod/log or deployment/scale",
    ),
];

// ---- ops verbs: patch, replace, set env/resources/selector, autoscale, events, diff ----

const FILENAME_UPDATE: FlagSpec = FlagSpec::new(
    "filename",
    Slice,
    "[]",
    "Filename, directory, or URL to files identifying the resource to update",
)
.short('f');
const SET_CONTAINERS: FlagSpec = FlagSpec::new(
    "containers",
    Str,
    "'*'",
    "The names of containers in the selected pod templates to change - may use wildcards",
)
.short('c');

static SET_ENV_FLAGS: &[FlagSpec] = &[
    FlagSpec::new("all", Bool, "false", "If true, select all resources in the namespace of the specified resource types"),
    ALLOW_MISSING,
    SET_CONTAINERS,
    DRY_RUN,
    FlagSpec::new("env", Array, "[]", "Specify a key-value pair for an environment variable to set into each container.").short('e'),
    FlagSpec::new("field-manager", Str, "'kubectl-set'", "Name of the manager used to track field ownership."),
    FlagSpec::new("filename", Slice, "[]", "Filename, directory, or URL to files the resource to update the env").short('f'),
    FlagSpec::new("from", Str, "''", "The name of a resource from which to inject environment variables"),
    FlagSpec::new("keys", Slice, "[]", "Comma-separated list of keys to import from specified resource"),
    KUSTOMIZE,
    FlagSpec::new("list", Bool, "false", "If true, display the environment and any changes in the standard format. this flag will removed when we have kubectl view env."),
    FlagSpec::new("local", Bool, "false", "If true, set env will NOT contact api-server but run locally."),
    OUTPUT_SHORT,
    FlagSpec::new("overwrite", Bool, "true", "If true, allow environment to be overwritten, otherwise reject updates that overwrite existing environment."),
    FlagSpec::new("prefix", Str, "''", "Prefix to append to variable names"),
    RECURSIVE,
    FlagSpec::new("resolve", Bool, "false", "If true, show secret or configmap references when listing variables"),
    SELECTOR,
    SHOW_MANAGED,
    TEMPLATE,
];

static SET_RESOURCES_FLAGS: &[FlagSpec] = &[
    FlagSpec::new("all", Bool, "false", "Select all resources, in the namespace of the specified resource types"),
    ALLOW_MISSING,
    SET_CONTAINERS,
    DRY_RUN,
    FlagSpec::new("field-manager", Str, "'kubectl-set'", "Name of the manager used to track field ownership."),
    FILENAME_UPDATE,
    KUSTOMIZE,
    FlagSpec::new("limits", Str, "''", "The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.  Note that server side components may assign requests depending on the server configuration, such as limit ranges."),
    FlagSpec::new("local", Bool, "false", "If true, set resources will NOT contact api-server but run locally."),
    OUTPUT_SHORT,
    RECURSIVE,
    FlagSpec::new("requests", Str, "''", "The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.  Note that server side components may assign requests depending on the server configuration, such as limit ranges."),
    SELECTOR,
    SHOW_MANAGED,
    TEMPLATE,
];

static SET_SELECTOR_FLAGS: &[FlagSpec] = &[
    FlagSpec::new("all", Bool, "false", "Select all resources in the namespace of the specified resource types"),
    ALLOW_MISSING,
    DRY_RUN,
    FlagSpec::new("field-manager", Str, "'kubectl-set'", "Name of the manager used to track field ownership."),
    FlagSpec::new("filename", Slice, "[]", "identifying the resource.").short('f'),
    FlagSpec::new("local", Bool, "false", "If true, annotation will NOT contact api-server but run locally."),
    OUTPUT_SHORT,
    FlagSpec::new("recursive", Bool, "true", "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.").short('R'),
    RESOURCE_VERSION,
    SHOW_MANAGED,
    TEMPLATE,
];

static PATCH_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    DRY_RUN,
    FlagSpec::new("field-manager", Str, "'kubectl-patch'", "Name of the manager used to track field ownership."),
    FlagSpec::new("filename", Slice, "[]", "Filename, directory, or URL to files identifying the resource to update").short('f'),
    KUSTOMIZE,
    FlagSpec::new("local", Bool, "false", "If true, patch will operate on the content of the file, not the server-side resource."),
    OUTPUT_SHORT,
    FlagSpec::new("patch", Str, "''", "The patch to be applied to the resource JSON file.").short('p'),
    FlagSpec::new("patch-file", Str, "''", "A file containing a patch to be applied to the resource."),
    RECORD,
    RECURSIVE,
    SHOW_MANAGED,
    FlagSpec::new("subresource", Str, "''", "If specified, patch will operate on the subresource of the requested object. Must be one of [status scale]. This flag is beta and may change in the future."),
    TEMPLATE,
    FlagSpec::new("type", Str, "'strategic'", "The type of patch being provided; one of [json merge strategic]"),
];

static REPLACE_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    FlagSpec::new("cascade", Str, "'background'", "Must be \"background\", \"orphan\", or \"foreground\". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.").no_opt("background"),
    DRY_RUN,
    FlagSpec::new("field-manager", Str, "'kubectl-replace'", "Name of the manager used to track field ownership."),
    FlagSpec::new("filename", Slice, "[]", "The files that contain the configurations to replace.").short('f'),
    FlagSpec::new("force", Bool, "false", "If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation."),
    FlagSpec::new("grace-period", Int, "-1", "Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion)."),
    KUSTOMIZE,
    OUTPUT_SHORT,
    FlagSpec::new("raw", Str, "''", "Raw URI to PUT to the server.  Uses the transport specified by the kubeconfig file."),
    RECURSIVE,
    SAVE_CONFIG,
    SHOW_MANAGED,
    FlagSpec::new("subresource", Str, "''", "If specified, replace will operate on the subresource of the requested object. Must be one of [status scale]. This flag is beta and may change in the future."),
    TEMPLATE,
    FlagSpec::new("timeout", Str, "0s", "The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object"),
    VALIDATE,
    FlagSpec::new("wait", Bool, "false", "If true, wait for resources to be gone before returning. This waits for finalizers."),
];

static AUTOSCALE_FLAGS: &[FlagSpec] = &[
    ALLOW_MISSING,
    FlagSpec::new("cpu", Str, "''", "Target CPU utilization over all the pods. When specified as a percentage (e.g.\"70%\" for 70% of requested CPU) it will target average utilization. When specified as quantity (e.g.\"500m\" for 500 milliCPU) it will target average value. Value without units is treated as a quantity with miliCPU being the unit (e.g.\"500\" is \"500m\")."),
    FlagSpec::new("cpu-percent", Int, "-1", "The target average CPU utilization (represented as a percent of requested CPU) over all the pods. If it's not specified or negative, a default autoscaling policy will be used."),
    DRY_RUN,
    FlagSpec::new("field-manager", Str, "'kubectl-autoscale'", "Name of the manager used to track field ownership."),
    FlagSpec::new("filename", Slice, "[]", "Filename, directory, or URL to files identifying the resource to autoscale.").short('f'),
    KUSTOMIZE,
    FlagSpec::new("max", Int, "-1", "The upper limit for the number of pods that can be set by the autoscaler. Required."),
    FlagSpec::new("memory", Str, "''", "Target memory utilization over all the pods. When specified as a percentage (e.g.\"60%\" for 60% of requested memory) it will target average utilization. When specified as quantity (e.g.\"200Mi\" for 200 MiB, \"1Gi\" for 1 GiB) it will target average value. Value without units is treated as a quantity with mebibytes being the unit (e.g.\"200\" is \"200Mi\")."),
    FlagSpec::new("min", Int, "-1", "The lower limit for the number of pods that can be set by the autoscaler. If it's not specified or negative, the server will apply a default value."),
    FlagSpec::new("name", Str, "''", "The name for the newly created object. If not specified, the name of the input resource will be used."),
    OUTPUT_SHORT,
    RECORD,
    RECURSIVE,
    FlagSpec::new("save-config", Bool, "false", "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future."),
    SHOW_MANAGED,
    TEMPLATE,
];

static EVENTS_FLAGS: &[FlagSpec] = &[
    ALL_NAMESPACES,
    ALLOW_MISSING,
    FlagSpec::new("chunk-size", Int, "500", "Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future."),
    FlagSpec::new("for", Str, "''", "Filter events to only those pertaining to the specified resource."),
    FlagSpec::new("no-headers", Bool, "false", "When using the default output format, don't print headers."),
    OUTPUT_SHORT,
    SHOW_MANAGED,
    TEMPLATE,
    FlagSpec::new("types", Slice, "[]", "Output only events of given types."),
    FlagSpec::new("watch", Bool, "false", "After listing the requested events, watch for more events.").short('w'),
];

static DIFF_FLAGS: &[FlagSpec] = &[
    FlagSpec::new("concurrency", Int, "1", "Number of objects to process in parallel when diffing against the live version. Larger number = faster, but more memory, I/O and CPU over that shorter period of time."),
    FlagSpec::new("field-manager", Str, "'kubectl-client-side-apply'", "Name of the manager used to track field ownership."),
    FlagSpec::new("filename", Slice, "[]", "Filename, directory, or URL to files contains the configuration to diff").short('f'),
    FlagSpec::new("force-conflicts", Bool, "false", "If true, server-side apply will force the changes against conflicts."),
    KUSTOMIZE,
    FlagSpec::new("prune", Bool, "false", "Include resources that would be deleted by pruning. Can be used with -l and default shows all resources would be pruned"),
    FlagSpec::new("prune-allowlist", Array, "[]", "Overwrite the default allowlist with <group/version/kind> for --prune"),
    RECURSIVE,
    SELECTOR,
    FlagSpec::new("server-side", Bool, "false", "If true, apply runs in the server instead of the client."),
    FlagSpec::new("show-managed-fields", Bool, "false", "If true, include managed fields in the diff."),
];

static NO_FLAGS: &[FlagSpec] = &[];

const fn cmd(
    name: &'static str,
    short: &'static str,
    usage: &'static str,
    flags: &'static [FlagSpec],
) -> Command {
    Command {
        name,
        aliases: &[],
        short,
        long: "",
        examples: "",
        usage,
        flags,
        subcommands: &[],
    }
}

/// Every top-level command, in `kubectl --help` order.
pub static COMMANDS: &[Command] = &[
    Command {
        long: "Create a resource from a file or from stdin.\n\n JSON and YAML formats are accepted.",
        examples: "  # Create a pod using the data in pod.json\n  kubectl create -f ./pod.json\n  \n  # Create a pod based on the JSON passed into stdin\n  cat pod.json | kubectl create -f -\n  \n  # Edit the data in registry.yaml in JSON then create the resource using the edited data\n  kubectl create -f registry.yaml --edit -o json",
        subcommands: CREATE_SUBCOMMANDS,
        ..cmd("create", "Create a resource from a file or from stdin", "kubectl create -f FILENAME [options]", CREATE_FLAGS)
    },
    Command {
        long: "Expose a resource as a new Kubernetes service.\n\n Looks up a deployment, service, replica set, replication controller or pod by name and uses the selector for that resource as the selector for a new service on the specified port. A deployment or replica set will be exposed as a service only if its selector is convertible to a selector that service supports, i.e. when the selector contains only the matchLabels component. Note that if no port is specified via --port and the exposed resource has multiple ports, all will be re-used by the new service. Also if no labels are specified, the new service will re-use the labels from the resource it exposes.\n\n Possible resources include (case insensitive):\n\n pod (po), service (svc), replicationcontroller (rc), deployment (deploy), replicaset (rs)",
        examples: "  # Create a service for a replicated nginx, which serves on port 80 and connects to the containers on port 8000\n  kubectl expose rc nginx --port=80 --target-port=8000\n  \n  # Create a service for a pod valid-pod, which serves on port 444 with the name \"frontend\"\n  kubectl expose pod valid-pod --port=444 --name=frontend",
        ..cmd("expose", "Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service", "kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]", EXPOSE_FLAGS)
    },
    Command {
        long: "Create and run a particular image in a pod.",
        examples: "  # Start a nginx pod\n  kubectl run nginx --image=nginx\n  \n  # Start a hazelcast pod and let the container expose port 5701\n  kubectl run hazelcast --image=hazelcast/hazelcast --port=5701\n  \n  # Start a hazelcast pod and set environment variables \"DNS_DOMAIN=cluster\" and \"POD_NAMESPACE=default\" in the container\n  kubectl run hazelcast --image=hazelcast/hazelcast --env=\"DNS_DOMAIN=cluster\" --env=\"POD_NAMESPACE=default\"\n  \n  # Start a busybox pod and keep it in the foreground, don't restart it if it exits\n  kubectl run -i -t busybox --image=busybox --restart=Never",
        ..cmd("run", "Run a particular image on the cluster", "kubectl run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]", RUN_FLAGS)
    },
    Command {
        long: "Configure application resources.\n\n These commands help you make changes to existing application resources.",
        subcommands: SET_SUBCOMMANDS,
        ..cmd("set", "Set specific features on objects", "kubectl set SUBCOMMAND [options]", NO_FLAGS)
    },
    Command {
        long: "Describe fields and structure of various resources.",
        examples: "  # Get the documentation of the resource and its fields\n  kubectl explain pods\n  \n  # Get the documentation of a specific field of a resource\n  kubectl explain pods.spec.containers",
        ..cmd("explain", "Get documentation for a resource", "kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2] [options]", &[
            FlagSpec::new("api-version", Str, "''", "Use given api-version (group/version) of the resource."),
            FlagSpec::new("output", Str, "'plaintext'", "Format in which to render the schema. Valid values are: (plaintext, plaintext-openapiv2).").short('o'),
            FlagSpec::new("recursive", Bool, "false", "When true, print the name of all the fields recursively. Otherwise, print the available fields with their description."),
        ])
    },
    Command {
        long: "Display one or many resources.\n\n Prints a table of the most important information about the specified resources. You can filter the list using a label selector and the --selector flag. If the desired resource type is namespaced you will only see results in the current namespace if you don't specify any namespace.\n\n By specifying the output as 'template' and providing a Go template as the value of the --template flag, you can filter the attributes of the fetched resources.\n\nUse \"kubectl api-resources\" for a complete list of supported resources.",
        examples: "  # List all pods in ps output format\n  kubectl get pods\n  \n  # List all pods in ps output format with more information (such as node name)\n  kubectl get pods -o wide\n  \n  # List a single replication controller with specified NAME in ps output format\n  kubectl get replicationcontroller web\n  \n  # List deployments in JSON output format, in the \"v1\" version of the \"apps\" API group\n  kubectl get deployments.v1.apps -o json\n  \n  # List a single pod in JSON output format\n  kubectl get -o json pod web-pod-13je7\n  \n  # List a pod identified by type and name specified in \"pod.yaml\" in JSON output format\n  kubectl get -f pod.yaml -o json\n  \n  # Return only the phase value of the specified pod\n  kubectl get -o template pod/web-pod-13je7 --template={{.status.phase}}\n  \n  # List resource information in custom columns\n  kubectl get pod test-pod -o custom-columns=CONTAINER:.spec.containers[0].name,IMAGE:.spec.containers[0].image\n  \n  # List all replication controllers and services together in ps output format\n  kubectl get rc,services\n  \n  # List one or more resources by their type and names\n  kubectl get rc/web service/frontend pods/web-pod-13je7",
        ..cmd("get", "Display one or many resources", "kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]", GET_FLAGS)
    },
    Command {
        long: "Edit a resource from the default editor.\n\n The edit command allows you to directly edit any API resource you can retrieve via the command-line tools. In this lab the object opens in the editor pane; saving applies it.",
        examples: "  # Edit the service named 'registry'\n  kubectl edit svc/registry\n  \n  # Edit the deployment 'mydeployment' in YAML and save the modified config in its annotation\n  kubectl edit deployment/mydeployment -o yaml --save-config",
        ..cmd("edit", "Edit a resource on the server", "kubectl edit (RESOURCE/NAME | -f FILENAME) [options]", EDIT_FLAGS)
    },
    Command {
        long: "Delete resources by file names, stdin, resources and names, or by resources and label selector.\n\n JSON and YAML formats are accepted. Only one type of argument may be specified: file names, resources and names, or resources and label selector.",
        examples: "  # Delete a pod using the type and name specified in pod.json\n  kubectl delete -f ./pod.json\n  \n  # Delete pods and services with same names \"baz\" and \"foo\"\n  kubectl delete pod,service baz foo\n  \n  # Delete pods and services with label name=myLabel\n  kubectl delete pods,services -l name=myLabel\n  \n  # Delete a pod with minimal delay\n  kubectl delete pod foo --now\n  \n  # Force delete a pod on a dead node\n  kubectl delete pod foo --force\n  \n  # Delete all pods\n  kubectl delete pods --all",
        ..cmd("delete", "Delete resources by file names, stdin, resources and names, or by resources and label selector", "kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]", DELETE_FLAGS)
    },
    Command {
        long: "Manage the rollout of one or many resources.",
        subcommands: ROLLOUT_SUBCOMMANDS,
        examples: "  # Rollback to the previous deployment\n  kubectl rollout undo deployment/abc\n  \n  # Check the rollout status of a daemonset\n  kubectl rollout status daemonset/foo",
        ..cmd("rollout", "Manage the rollout of a resource", "kubectl rollout SUBCOMMAND [options]", NO_FLAGS)
    },
    Command {
        long: "Set a new size for a deployment, replica set, replication controller, or stateful set.\n\n Scale also allows users to specify one or more preconditions for the scale action.\n\n If --current-replicas or --resource-version is specified, it is validated before the scale is attempted, and it is guaranteed that the precondition holds true when the scale is sent to the server.",
        examples: "  # Scale a replica set named 'foo' to 3\n  kubectl scale --replicas=3 rs/foo\n  \n  # Scale a resource identified by type and name specified in \"foo.yaml\" to 3\n  kubectl scale --replicas=3 -f foo.yaml",
        ..cmd("scale", "Set a new size for a deployment, replica set, or replication controller", "kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]", SCALE_FLAGS)
    },
    Command {
        long: "Creates an autoscaler that automatically chooses and sets the number of pods that run in a Kubernetes cluster. The command will attempt to use the autoscaling/v2 API first, in case of an error, it will fall back to autoscaling/v1 API.\n\n Looks up a deployment, replica set, stateful set, or replication controller by name and creates an autoscaler that uses the given resource as a reference. An autoscaler can automatically increase or decrease number of pods deployed within the system as needed.",
        examples: "  # Auto scale a deployment \"foo\", with the number of pods between 2 and 10, no target CPU utilization specified so a default autoscaling policy will be used\n  kubectl autoscale deployment foo --min=2 --max=10\n  \n  # Auto scale a replication controller \"foo\", with the number of pods between 1 and 5, target CPU utilization at 80%\n  kubectl autoscale rc foo --max=5 --cpu=80%\n  \n  # Auto scale a deployment \"bar\", with the number of pods between 3 and 6, target average CPU of 500m and memory of 200Mi\n  kubectl autoscale deployment bar --min=3 --max=6 --cpu=500m --memory=200Mi",
        ..cmd("autoscale", "Auto-scale a deployment, replica set, stateful set, or replication controller", "kubectl autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS [--cpu=CPU] [--memory=MEMORY] [options]", AUTOSCALE_FLAGS)
    },
    cmd("certificate", "Modify certificate resources", "kubectl certificate SUBCOMMAND [options]", NO_FLAGS),
    Command {
        long: "Display addresses of the control plane and services with label kubernetes.io/cluster-service=true. To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.",
        examples: "  # Print the address of the control plane and cluster services\n  kubectl cluster-info",
        subcommands: CLUSTER_INFO_SUBCOMMANDS,
        ..cmd("cluster-info", "Display cluster information", "kubectl cluster-info [flags] [options]", NO_FLAGS)
    },
    Command {
        long: "Display resource (CPU/memory) usage.\n\n The top command allows you to see the resource consumption for nodes or pods.\n\n This command requires Metrics Server to be correctly configured and working on the server.",
        subcommands: TOP_SUBCOMMANDS,
        ..cmd("top", "Display resource (CPU/memory) usage", "kubectl top [flags] [options]", NO_FLAGS)
    },
    Command {
        long: "Mark node as unschedulable.",
        examples: "  # Mark node \"foo\" as unschedulable\n  kubectl cordon foo",
        ..cmd("cordon", "Mark node as unschedulable", "kubectl cordon NODE [options]", NODE_FLAGS)
    },
    Command {
        long: "Mark node as schedulable.",
        examples: "  # Mark node \"foo\" as schedulable\n  kubectl uncordon foo",
        ..cmd("uncordon", "Mark node as schedulable", "kubectl uncordon NODE [options]", NODE_FLAGS)
    },
    Command {
        long: "Drain node in preparation for maintenance.\n\n The given node will be marked unschedulable to prevent new pods from arriving. 'drain' evicts the pods if the API server supports https://kubernetes.io/docs/concepts/workloads/pods/disruptions/ eviction https://kubernetes.io/docs/concepts/workloads/pods/disruptions/ . Otherwise, it will use normal DELETE to delete the pods.",
        examples: "  # Drain node \"foo\", even if there are pods not managed by a replication controller, replica set, job, daemon set, or stateful set on it\n  kubectl drain foo --force",
        ..cmd("drain", "Drain node in preparation for maintenance", "kubectl drain NODE [options]", DRAIN_FLAGS)
    },
    Command {
        long: "Update the taints on one or more nodes.\n\n  *  A taint consists of a key, value, and effect. As an argument here, it is expressed as key=value:effect.\n  *  The key must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 253 characters.\n  *  Optionally, the key can begin with a DNS subdomain prefix and a single '/', like example.com/my-app.\n  *  The value is optional. If given, it must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 63 characters.\n  *  The effect must be NoSchedule, PreferNoSchedule or NoExecute.\n  *  Currently taint can only apply to node.",
        examples: "  # Update node 'foo' with a taint with key 'dedicated' and value 'special-user' and effect 'NoSchedule'\n  # If a taint with that key and effect already exists, its value is replaced as specified\n  kubectl taint nodes foo dedicated=special-user:NoSchedule\n  \n  # Remove from node 'foo' the taint with key 'dedicated' and effect 'NoSchedule' if one exists\n  kubectl taint nodes foo dedicated:NoSchedule-",
        ..cmd("taint", "Update the taints on one or more nodes", "kubectl taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N [options]", TAINT_FLAGS)
    },
    Command {
        long: "Show details of a specific resource or group of resources.\n\n Print a detailed description of the selected resources, including related resources such as events or controllers. You may select a single object by name, all objects of that type, provide a name prefix, or label selector. For example:\n\n        $ kubectl describe TYPE NAME_PREFIX\n        \n will first check for an exact match on TYPE and NAME_PREFIX. If no such resource exists, it will output details for every resource that has a name prefixed with NAME_PREFIX.\n\nUse \"kubectl api-resources\" for a complete list of supported resources.",
        examples: "  # Describe a node\n  kubectl describe nodes kubernetes-node-emt8.c.myproject.internal\n  \n  # Describe a pod\n  kubectl describe pods/nginx\n  \n  # Describe pods by label name=myLabel\n  kubectl describe pods -l name=myLabel",
        ..cmd("describe", "Show details of a specific resource or group of resources", "kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]", DESCRIBE_FLAGS)
    },
    Command {
        long: "Print the logs for a container in a pod or specified resource. If the pod has only one container, the container name is optional.",
        examples: "  # Return snapshot logs from pod nginx with only one container\n  kubectl logs nginx\n  \n  # Return snapshot logs from container ruby-container of pod web-1\n  kubectl logs -c ruby-container web-1",
        ..cmd("logs", "Print the logs for a container in a pod", "kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]", LOGS_FLAGS)
    },
    cmd("attach", "Attach to a running container", "kubectl attach (POD | TYPE/NAME) -c CONTAINER [options]", NO_FLAGS),
    Command {
        long: "Execute a command in a container.",
        examples: "  # Get output from running the 'date' command from pod mypod, using the first container by default\n  kubectl exec mypod -- date\n  \n  # Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod\n  # and sends stdout/stderr from 'bash' back to the client\n  kubectl exec mypod -c ruby-container -i -t -- bash -il",
        ..cmd("exec", "Execute a command in a container", "kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]", EXEC_FLAGS)
    },
    cmd("port-forward", "Forward one or more local ports to a pod", "kubectl port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]", PORT_FORWARD_FLAGS),
    Command {
        long: "Creates a proxy server or application-level gateway between localhost and the Kubernetes API server. It also allows serving static content over specified HTTP path. All incoming data enters through one port and gets forwarded to the remote Kubernetes API server port, except for the path matching the static content path.",
        examples: "  # To proxy all of the Kubernetes API and nothing else\n  kubectl proxy --api-prefix=/\n  \n  # Run a proxy to the Kubernetes API server on port 8011, serving static content from ./local/www/\n  kubectl proxy --port=8011 --www=./local/www/\n  \n  # Run a proxy to the Kubernetes API server, changing the API prefix to k8s-api\n  # This makes e.g. the pods API available at localhost:8001/k8s-api/v1/pods/\n  kubectl proxy --api-prefix=/k8s-api",
        ..cmd("proxy", "Run a proxy to the Kubernetes API server", "kubectl proxy [--port=PORT] [--www=static-dir] [--www-prefix=prefix] [--api-prefix=prefix] [options]", PROXY_FLAGS)
    },
    cmd("cp", "Copy files and directories to and from containers", "kubectl cp <file-spec-src> <file-spec-dest> [options]", CP_FLAGS),
    Command {
        long: "Inspect authorization.",
        subcommands: AUTH_SUBCOMMANDS,
        ..cmd("auth", "Inspect authorization", "kubectl auth [flags] [options]", NO_FLAGS)
    },
    cmd("debug", "Create debugging sessions for troubleshooting workloads and nodes", "kubectl debug (POD | TYPE[[.VERSION].GROUP]/NAME) [ -- COMMAND [args...] ] [options]", NO_FLAGS),
    Command {
        long: "Display events.\n\n Prints a table of the most important information about events. You can request events for a namespace, for all namespace, or filtered to only those pertaining to a specified resource.",
        examples: "  # List recent events in the default namespace\n  kubectl events\n  \n  # List recent events in all namespaces\n  kubectl events --all-namespaces\n  \n  # List recent events for the specified pod, then wait for more events and list them as they arrive\n  kubectl events --for pod/web-pod-13je7 --watch\n  \n  # List recent events in YAML format\n  kubectl events -oyaml\n  \n  # List recent only events of type 'Warning' or 'Normal'\n  kubectl events --types=Warning,Normal",
        ..cmd("events", "List events", "kubectl events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--types=Normal,Warning] [options]", EVENTS_FLAGS)
    },
    Command {
        long: "Diff configurations specified by file name or stdin between the current online configuration, and the configuration as it would be if applied.\n\n The output is always YAML.\n\n KUBECTL_EXTERNAL_DIFF environment variable can be used to select your own diff command. Users can use external commands with params too, example: KUBECTL_EXTERNAL_DIFF=\"colordiff -N -u\"\n\n By default, the \"diff\" command available in your path will be run with the \"-u\" (unified diff) and \"-N\" (treat absent files as empty) options.\n\n Exit status: 0 No differences were found. 1 Differences were found. >1 Kubectl or diff failed with an error.\n\n Note: KUBECTL_EXTERNAL_DIFF, if used, is expected to follow that convention.",
        examples: "  # Diff resources included in pod.json\n  kubectl diff -f pod.json\n  \n  # Diff file read from stdin\n  cat service.yaml | kubectl diff -f -",
        ..cmd("diff", "Diff the live version against a would-be applied version", "kubectl diff -f FILENAME [options]", DIFF_FLAGS)
    },
    Command {
        long: "Apply a configuration to a resource by file name or stdin. The resource name must be specified. This resource will be created if it doesn't exist yet. To use 'apply', always create the resource initially with either 'apply' or 'create --save-config'.\n\n JSON and YAML formats are accepted.",
        examples: "  # Apply the configuration in pod.json to a pod\n  kubectl apply -f ./pod.json\n  \n  # Apply the JSON passed into stdin to a pod\n  cat pod.json | kubectl apply -f -",
        ..cmd("apply", "Apply a configuration to a resource by file name or stdin", "kubectl apply (-f FILENAME | -k DIRECTORY) [options]", APPLY_FLAGS)
    },
    Command {
        long: "Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch.\n\n JSON and YAML formats are accepted.\n\n Note: Strategic merge patch is not supported for custom resources.",
        examples: "  # Partially update a node using a strategic merge patch, specifying the patch as JSON\n  kubectl patch node k8s-node-1 -p '{\"spec\":{\"unschedulable\":true}}'\n  \n  # Partially update a node using a strategic merge patch, specifying the patch as YAML\n  kubectl patch node k8s-node-1 -p $'spec:\\n unschedulable: true'\n  \n  # Partially update a node identified by the type and name specified in \"node.json\" using strategic merge patch\n  kubectl patch -f node.json -p '{\"spec\":{\"unschedulable\":true}}'\n  \n  # Update a container's image; spec.containers[*].name is required because it's a merge key\n  kubectl patch pod valid-pod -p '{\"spec\":{\"containers\":[{\"name\":\"kubernetes-serve-hostname\",\"image\":\"new image\"}]}}'\n  \n  # Update a container's image using a JSON patch with positional arrays\n  kubectl patch pod valid-pod --type='json' -p='[{\"op\": \"replace\", \"path\": \"/spec/containers/0/image\", \"value\":\"new image\"}]'\n  \n  # Update a deployment's replicas through the 'scale' subresource using a merge patch\n  kubectl patch deployment nginx-deployment --subresource='scale' --type='merge' -p '{\"spec\":{\"replicas\":2}}'",
        ..cmd("patch", "Update fields of a resource", "kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]", PATCH_FLAGS)
    },
    Command {
        long: "Replace a resource by file name or stdin.\n\n JSON and YAML formats are accepted. If replacing an existing resource, the complete resource spec must be provided. This can be obtained by\n\n        $ kubectl get TYPE NAME -o yaml",
        examples: "  # Replace a pod using the data in pod.json\n  kubectl replace -f ./pod.json\n  \n  # Replace a pod based on the JSON passed into stdin\n  cat pod.json | kubectl replace -f -\n  \n  # Update a single-container pod's image version (tag) to v4\n  kubectl get pod mypod -o yaml | sed 's/\\(image: myimage\\):.*$/\\1:v4/' | kubectl replace -f -\n  \n  # Force replace, delete and then re-create the resource\n  kubectl replace --force -f ./pod.json",
        ..cmd("replace", "Replace a resource by file name or stdin", "kubectl replace -f FILENAME [options]", REPLACE_FLAGS)
    },
    Command {
        long: "Experimental: Wait for a specific condition on one or many resources.\n\n The command takes multiple resources and waits until the specified condition is seen in the Status field of every given resource.",
        examples: "  # Wait for the pod \"busybox1\" to contain the status condition of type \"Ready\"\n  kubectl wait --for=condition=Ready pod/busybox1",
        ..cmd("wait", "Experimental: Wait for a specific condition on one or many resources", "kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]", WAIT_FLAGS)
    },
    cmd("kustomize", "Build a kustomization target from a directory or URL", "kubectl kustomize DIR [flags] [options]", NO_FLAGS),
    Command {
        long: "Update the labels on a resource.\n\n  *  A label key and value must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 63 characters each.\n  *  Optionally, the key can begin with a DNS subdomain prefix and a single '/', like example.com/my-app.\n  *  If --overwrite is true, then existing labels can be overwritten, otherwise attempting to overwrite a label will result in an error.\n  *  If --resource-version is specified, then updates will use this resource version, otherwise the existing resource-version will be used.",
        examples: "  # Update pod 'foo' with the label 'unhealthy' and the value 'true'\n  kubectl label pods foo unhealthy=true\n  \n  # Update pod 'foo' with the label 'status' and the value 'unhealthy', overwriting any existing value\n  kubectl label --overwrite pods foo status=unhealthy\n  \n  # Update pod 'foo' by removing a label named 'bar' if it exists\n  # Does not require the --overwrite flag\n  kubectl label pods foo bar-",
        ..cmd("label", "Update the labels on a resource", "kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]", LABEL_FLAGS)
    },
    Command {
        long: "Update the annotations on one or more resources.\n\n All Kubernetes objects support the ability to store additional data with the object as annotations. Annotations are key/value pairs that can be larger than labels and include arbitrary string values such as structured JSON. Tools and system extensions may use annotations to store their own data.\n\n Attempting to set an annotation that already exists will fail unless --overwrite is set. If --resource-version is specified and does not match the current resource version on the server the command will fail.\n\nUse \"kubectl api-resources\" for a complete list of supported resources.",
        examples: "  # Update pod 'foo' with the annotation 'description' and the value 'my frontend'\n  # If the same annotation is set multiple times, only the last value will be applied\n  kubectl annotate pods foo description='my frontend'\n  \n  # Update pod 'foo' by removing an annotation named 'description' if it exists\n  # Does not require the --overwrite flag\n  kubectl annotate pods foo description-",
        ..cmd("annotate", "Update the annotations on a resource", "kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]", ANNOTATE_FLAGS)
    },
    cmd("completion", "Output shell completion code for the specified shell (bash, zsh, fish, or powershell)", "kubectl completion SHELL [options]", NO_FLAGS),
    Command {
        long: "Print the supported API resources on the server.",
        examples: "  # Print the supported API resources\n  kubectl api-resources\n  \n  # Print the supported API resources with more information\n  kubectl api-resources -o wide",
        ..cmd("api-resources", "Print the supported API resources on the server", "kubectl api-resources [flags] [options]", API_RESOURCES_FLAGS)
    },
    Command {
        long: "Print the supported API versions on the server, in the form of \"group/version\".",
        examples: "  # Print the supported API versions\n  kubectl api-versions",
        ..cmd("api-versions", "Print the supported API versions on the server, in the form of \"group/version\"", "kubectl api-versions [flags] [options]", NO_FLAGS)
    },
    Command {
        long: "Modify kubeconfig files using subcommands like \"kubectl config set current-context my-context\".",
        subcommands: CONFIG_SUBCOMMANDS,
        ..cmd("config", "Modify kubeconfig files", "kubectl config SUBCOMMAND [options]", NO_FLAGS)
    },
    cmd("plugin", "Provides utilities for interacting with plugins", "kubectl plugin [flags] [options]", NO_FLAGS),
    Command {
        long: "Print the client and server version information for the current context.",
        examples: "  # Print the client and server versions for the current context\n  kubectl version",
        ..cmd("version", "Print the client and server version information", "kubectl version [flags] [options]", VERSION_FLAGS)
    },
    cmd("options", "Print the list of flags inherited by all commands", "kubectl options [flags] [options]", NO_FLAGS),
];

static CREATE_SUBCOMMANDS: &[Command] = &[
    Command {
        long: "Create a cluster role.",
        examples: "  # Create a cluster role named \"pod-reader\" that allows user to perform \"get\", \"watch\" and \"list\" on pods\n  kubectl create clusterrole pod-reader --verb=get,list,watch --resource=pods\n  \n  # Create a cluster role named \"pod-reader\" with ResourceName specified\n  kubectl create clusterrole pod-reader --verb=get --resource=pods --resource-name=readablepod --resource-name=anotherpod\n  \n  # Create a cluster role named \"foo\" with API Group specified\n  kubectl create clusterrole foo --verb=get,list,watch --resource=rs.apps\n  \n  # Create a cluster role named \"foo\" with SubResource specified\n  kubectl create clusterrole foo --verb=get,list,watch --resource=pods,pods/status\n  \n  # Create a cluster role name \"foo\" with NonResourceURL specified\n  kubectl create clusterrole \"foo\" --verb=get --non-resource-url=/logs/*\n  \n  # Create a cluster role name \"monitoring\" with AggregationRule specified\n  kubectl create clusterrole monitoring --aggregation-rule=\"rbac.example.com/aggregate-to-monitoring=true\"",
        ..cmd(
            "clusterrole",
            "Create a cluster role",
            "kubectl create clusterrole NAME --verb=verb --resource=resource.group [--resource-name=resourcename] [--dry-run=server|client|none] [options]",
            CREATE_CLUSTERROLE_FLAGS,
        )
    },
    Command {
        long: "Create a cluster role binding for a particular cluster role.",
        examples: "  # Create a cluster role binding for user1, user2, and group1 using the cluster-admin cluster role\n  kubectl create clusterrolebinding cluster-admin --clusterrole=cluster-admin --user=user1 --user=user2 --group=group1",
        ..cmd(
            "clusterrolebinding",
            "Create a cluster role binding for a particular cluster role",
            "kubectl create clusterrolebinding NAME --clusterrole=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none] [options]",
            CREATE_CLUSTERROLEBINDING_FLAGS,
        )
    },
    Command {
        aliases: &["cm"],
        ..cmd(
            "configmap",
            "Create a config map from a local file, directory or literal value",
            "kubectl create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]",
            CREATE_CONFIGMAP_FLAGS,
        )
    },
    Command {
        aliases: &["cj"],
        long: "Create a cron job with the specified name.",
        examples: "  # Create a cron job\n  kubectl create cronjob my-job --image=busybox --schedule=\"*/1 * * * *\"\n  \n  # Create a cron job with a command\n  kubectl create cronjob my-job --image=busybox --schedule=\"*/1 * * * *\" -- date",
        ..cmd(
            "cronjob",
            "Create a cron job with the specified name",
            "kubectl create cronjob NAME --image=image --schedule='0/5 * * * ?' -- [COMMAND] [args...] [flags] [options]",
            CREATE_CRONJOB_FLAGS,
        )
    },
    Command {
        aliases: &["deploy"],
        ..cmd(
            "deployment",
            "Create a deployment with the specified name",
            "kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]",
            CREATE_DEPLOYMENT_FLAGS,
        )
    },
    Command {
        aliases: &["ing"],
        long: "Create an ingress with the specified name.",
        examples: "  # Create a single ingress called 'simple' that directs requests to foo.com/bar to svc\n  # svc1:8080 with a TLS secret \"my-cert\"\n  kubectl create ingress simple --rule=\"foo.com/bar=svc1:8080,tls=my-cert\"\n  \n  # Create a catch all ingress of \"/path\" pointing to service svc:port and Ingress Class as \"otheringress\"\n  kubectl create ingress catch-all --class=otheringress --rule=\"/path=svc:port\"\n  \n  # Create an ingress with two annotations: ingress.annotation1 and ingress.annotations2\n  kubectl create ingress annotated --class=default --rule=\"foo.com/bar=svc:port\" \\\n  --annotation ingress.annotation1=foo \\\n  --annotation ingress.annotation2=bla\n  \n  # Create an ingress with the same host and multiple paths\n  kubectl create ingress multipath --class=default \\\n  --rule=\"foo.com/=svc:port\" \\\n  --rule=\"foo.com/admin/=svcadmin:portadmin\"\n  \n  # Create an ingress with multiple hosts and the pathType as Prefix\n  kubectl create ingress ingress1 --class=default \\\n  --rule=\"foo.com/path*=svc:8080\" \\\n  --rule=\"bar.com/admin*=svc2:http\"\n  \n  # Create an ingress with TLS enabled using the default ingress certificate and different path types\n  kubectl create ingress ingtls --class=default \\\n  --rule=\"foo.com/=svc:https,tls\" \\\n  --rule=\"foo.com/path/subpath*=othersvc:8080\"\n  \n  # Create an ingress with TLS enabled using a specific secret and pathType as Prefix\n  kubectl create ingress ingsecret --class=default \\\n  --rule=\"foo.com/*=svc:8080,tls=secret1\"\n  \n  # Create an ingress with a default backend\n  kubectl create ingress ingdefault --class=default \\\n  --default-backend=defaultsvc:http \\\n  --rule=\"foo.com/*=svc:8080,tls=secret1\"",
        ..cmd(
            "ingress",
            "Create an ingress with the specified name",
            "kubectl create ingress NAME --rule=host/path=service:port[,tls[=secret]]  [options]",
            CREATE_INGRESS_FLAGS,
        )
    },
    Command {
        long: "Create a job with the specified name.",
        examples: "  # Create a job\n  kubectl create job my-job --image=busybox\n  \n  # Create a job with a command\n  kubectl create job my-job --image=busybox -- date\n  \n  # Create a job from a cron job named \"a-cronjob\"\n  kubectl create job test-job --from=cronjob/a-cronjob",
        ..cmd(
            "job",
            "Create a job with the specified name",
            "kubectl create job NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...] [options]",
            CREATE_JOB_FLAGS,
        )
    },
    Command {
        aliases: &["ns"],
        ..cmd(
            "namespace",
            "Create a namespace with the specified name",
            "kubectl create namespace NAME [--dry-run=server|client|none] [options]",
            CREATE_COMMON,
        )
    },
    Command {
        aliases: &["pdb"],
        long: "Create a pod disruption budget with the specified name, selector, and desired minimum available pods.",
        examples: "  # Create a pod disruption budget named my-pdb that will select all pods with the app=rails label\n  # and require at least one of them being available at any point in time\n  kubectl create poddisruptionbudget my-pdb --selector=app=rails --min-available=1\n  \n  # Create a pod disruption budget named my-pdb that will select all pods with the app=nginx label\n  # and require at least half of the pods selected to be available at any point in time\n  kubectl create pdb my-pdb --selector=app=nginx --min-available=50%",
        ..cmd(
            "poddisruptionbudget",
            "Create a pod disruption budget with the specified name",
            "kubectl create poddisruptionbudget NAME --selector=SELECTOR --min-available=N [--dry-run=server|client|none] [options]",
            CREATE_PDB_FLAGS,
        )
    },
    Command {
        aliases: &["pc"],
        long: "Create a priority class with the specified name, value, globalDefault and description.",
        examples: "  # Create a priority class named high-priority\n  kubectl create priorityclass high-priority --value=1000 --description=\"high priority\"\n  \n  # Create a priority class named default-priority that is considered as the global default priority\n  kubectl create priorityclass default-priority --value=1000 --global-default=true --description=\"default priority\"\n  \n  # Create a priority class named high-priority that cannot preempt pods with lower priority\n  kubectl create priorityclass high-priority --value=1000 --description=\"high priority\" --preemption-policy=\"Never\"",
        ..cmd(
            "priorityclass",
            "Create a priority class with the specified name",
            "kubectl create priorityclass NAME --value=VALUE --global-default=BOOL [--dry-run=server|client|none] [options]",
            CREATE_PRIORITYCLASS_FLAGS,
        )
    },
    Command {
        aliases: &["resourcequota"],
        long: "Create a resource quota with the specified name, hard limits, and optional scopes.",
        examples: "  # Create a new resource quota named my-quota\n  kubectl create quota my-quota --hard=cpu=1,memory=1G,pods=2,services=3,replicationcontrollers=2,resourcequotas=1,secrets=5,persistentvolumeclaims=10\n  \n  # Create a new resource quota named best-effort\n  kubectl create quota best-effort --hard=pods=100 --scopes=BestEffort",
        ..cmd(
            "quota",
            "Create a quota with the specified name",
            "kubectl create quota NAME [--hard=key1=value1,key2=value2] [--scopes=Scope1,Scope2] [--dry-run=server|client|none] [options]",
            CREATE_QUOTA_FLAGS,
        )
    },
    Command {
        long: "Create a role with single rule.",
        examples: "  # Create a role named \"pod-reader\" that allows user to perform \"get\", \"watch\" and \"list\" on pods\n  kubectl create role pod-reader --verb=get --verb=list --verb=watch --resource=pods\n  \n  # Create a role named \"pod-reader\" with ResourceName specified\n  kubectl create role pod-reader --verb=get --resource=pods --resource-name=readablepod --resource-name=anotherpod\n  \n  # Create a role named \"foo\" with API Group specified\n  kubectl create role foo --verb=get,list,watch --resource=rs.apps\n  \n  # Create a role named \"foo\" with SubResource specified\n  kubectl create role foo --verb=get,list,watch --resource=pods,pods/status",
        ..cmd(
            "role",
            "Create a role with single rule",
            "kubectl create role NAME --verb=verb --resource=resource.group/subresource [--resource-name=resourcename] [--dry-run=server|client|none] [options]",
            CREATE_ROLE_FLAGS,
        )
    },
    Command {
        long: "Create a role binding for a particular role or cluster role.",
        examples: "  # Create a role binding for user1, user2, and group1 using the admin cluster role\n  kubectl create rolebinding admin --clusterrole=admin --user=user1 --user=user2 --group=group1\n  \n  # Create a role binding for service account monitoring:sa-dev using the admin role\n  kubectl create rolebinding admin-binding --role=admin --serviceaccount=monitoring:sa-dev",
        ..cmd(
            "rolebinding",
            "Create a role binding for a particular role or cluster role",
            "kubectl create rolebinding NAME --clusterrole=NAME|--role=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none] [options]",
            CREATE_ROLEBINDING_FLAGS,
        )
    },
    Command {
        subcommands: CREATE_SECRET_SUBCOMMANDS,
        ..cmd(
            "secret",
            "Create a secret using a specified subcommand",
            "kubectl create secret (docker-registry | generic | tls) [options]",
            NO_FLAGS,
        )
    },
    Command {
        aliases: &["svc"],
        subcommands: CREATE_SERVICE_SUBCOMMANDS,
        ..cmd(
            "service",
            "Create a service using a specified subcommand",
            "kubectl create service [flags] [options]",
            NO_FLAGS,
        )
    },
    Command {
        aliases: &["sa"],
        ..cmd(
            "serviceaccount",
            "Create a service account with the specified name",
            "kubectl create serviceaccount NAME [--dry-run=server|client|none] [options]",
            CREATE_COMMON,
        )
    },
    cmd(
        "token",
        "Request a service account token",
        "kubectl create token SERVICE_ACCOUNT_NAME [options]",
        NO_FLAGS,
    ),
];

static CREATE_SECRET_SUBCOMMANDS: &[Command] = &[
    cmd(
        "docker-registry",
        "Create a secret for use with a Docker registry",
        "kubectl create secret docker-registry NAME --docker-username=user --docker-password=password --docker-email=email [--docker-server=string] [--from-file=[key=]source] [--dry-run=server|client|none] [options]",
        CREATE_SECRET_DOCKER_FLAGS,
    ),
    cmd(
        "generic",
        "Create a secret from a local file, directory, or literal value",
        "kubectl create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]",
        CREATE_SECRET_GENERIC_FLAGS,
    ),
    Command {
        long: "Create a TLS secret from the given public/private key pair.\n\n The public/private key pair must exist beforehand. The public key certificate must be .PEM encoded and match the given private key.",
        examples: "  # Create a new TLS secret named tls-secret with the given key pair\n  kubectl create secret tls tls-secret --cert=path/to/tls.crt --key=path/to/tls.key",
        ..cmd(
            "tls",
            "Create a TLS secret",
            "kubectl create secret tls NAME --cert=path/to/cert/file --key=path/to/key/file [--dry-run=server|client|none] [options]",
            CREATE_SECRET_TLS_FLAGS,
        )
    },
];

static CREATE_SERVICE_SUBCOMMANDS: &[Command] = &[
    cmd(
        "clusterip",
        "Create a ClusterIP service",
        "kubectl create service clusterip NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none] [options]",
        CREATE_SERVICE_FLAGS,
    ),
    cmd(
        "externalname",
        "Create an ExternalName service",
        "kubectl create service externalname NAME --external-name external.name [--dry-run=server|client|none] [options]",
        CREATE_SERVICE_EXTERNALNAME_FLAGS,
    ),
    cmd(
        "loadbalancer",
        "Create a LoadBalancer service",
        "kubectl create service loadbalancer NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
        CREATE_SERVICE_FLAGS,
    ),
    cmd(
        "nodeport",
        "Create a NodePort service",
        "kubectl create service nodeport NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
        CREATE_SERVICE_FLAGS,
    ),
];

static SET_SUBCOMMANDS: &[Command] = &[
    Command {
        long: "Update environment variables on a pod template.\n\n List environment variable definitions in one or more pods, pod templates. Add, update, or remove container environment variable definitions in one or more pod templates (within replication controllers or deployment configurations). View or modify the environment variable definitions on all containers in the specified pods or pod templates, or just those that match a wildcard.\n\n If \"--env -\" is passed, environment variables can be read from STDIN using the standard env syntax.\n\n Possible resources include (case insensitive):\n\n        pod (po), replicationcontroller (rc), deployment (deploy), daemonset (ds), statefulset (sts), cronjob (cj), replicaset (rs)",
        examples: "  # Update deployment 'registry' with a new environment variable\n  kubectl set env deployment/registry STORAGE_DIR=/local\n  \n  # List the environment variables defined on a deployments 'sample-build'\n  kubectl set env deployment/sample-build --list\n  \n  # Import environment from a config map with a prefix\n  kubectl set env --from=configmap/myconfigmap --prefix=MYSQL_ deployment/myapp\n  \n  # Remove the environment variable ENV from container 'c1' in all deployment configs\n  kubectl set env deployments --all --containers=\"c1\" ENV-",
        ..cmd(
            "env",
            "Update environment variables on a pod template",
            "kubectl set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N [options]",
            SET_ENV_FLAGS,
        )
    },
    Command {
        long: "Update existing container image(s) of resources.\n\n Possible resources include (case insensitive):\n\n        pod (po), replicationcontroller (rc), deployment (deploy), daemonset (ds), statefulset (sts), cronjob (cj), replicaset (rs)",
        examples: "  # Set a deployment's nginx container image to 'nginx:1.9.1', and its busybox container image to 'busybox'\n  kubectl set image deployment/nginx busybox=busybox nginx=nginx:1.9.1",
        ..cmd(
            "image",
            "Update the image of a pod template",
            "kubectl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]",
            SET_IMAGE_FLAGS,
        )
    },
    Command {
        long: "Specify compute resource requirements (CPU, memory) for any resource that defines a pod template.  If a pod is successfully scheduled, it is guaranteed the amount of resource requested, but may burst up to its specified limits.\n\n For each compute resource, if a limit is specified and a request is omitted, the request will default to the limit.\n\n Possible resources include (case insensitive): Use \"kubectl api-resources\" for a complete list of supported resources..",
        examples: "  # Set a deployments nginx container cpu limits to \"200m\" and memory to \"512Mi\"\n  kubectl set resources deployment nginx -c=nginx --limits=cpu=200m,memory=512Mi\n  \n  # Set the resource request and limits for all containers in nginx\n  kubectl set resources deployment nginx --limits=cpu=200m,memory=512Mi --requests=cpu=100m,memory=256Mi",
        ..cmd(
            "resources",
            "Update resource requests/limits on objects with pod templates",
            "kubectl set resources (-f FILENAME | TYPE NAME)  ([--limits=LIMITS & --requests=REQUESTS] [options]",
            SET_RESOURCES_FLAGS,
        )
    },
    Command {
        long: "Set the selector on a resource. Note that the new selector will overwrite the old selector if the resource had one prior to the invocation of 'set selector'.\n\n A selector must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 63 characters. If --resource-version is specified, then updates will use this resource version, otherwise the existing resource-version will be used. Note: currently selectors can only be set on Service objects.",
        examples: "  # Set the labels and selector before creating a deployment/service pair\n  kubectl create service clusterip my-svc --clusterip=\"None\" -o yaml --dry-run=client | kubectl set selector --local -f - 'environment=qa' -o yaml | kubectl create -f -\n  kubectl create deployment my-dep -o yaml --dry-run=client | kubectl label --local -f - environment=qa -o yaml | kubectl create -f -",
        ..cmd(
            "selector",
            "Set the selector on a resource",
            "kubectl set selector (-f FILENAME | TYPE NAME) EXPRESSIONS [--resource-version=version] [options]",
            SET_SELECTOR_FLAGS,
        )
    },
    cmd(
        "serviceaccount",
        "Update the service account of a resource",
        "kubectl set serviceaccount (-f FILENAME | TYPE NAME) SERVICE_ACCOUNT [options]",
        NO_FLAGS,
    ),
    cmd(
        "subject",
        "Update the user, group, or service account in a role binding or cluster role binding",
        "kubectl set subject (-f FILENAME | TYPE NAME) [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none] [options]",
        NO_FLAGS,
    ),
];

static ROLLOUT_SUBCOMMANDS: &[Command] = &[
    cmd(
        "history",
        "View rollout history",
        "kubectl rollout history (TYPE NAME | TYPE/NAME) [flags] [options]",
        ROLLOUT_HISTORY_FLAGS,
    ),
    cmd(
        "pause",
        "Mark the provided resource as paused",
        "kubectl rollout pause RESOURCE [options]",
        ROLLOUT_COMMON,
    ),
    cmd(
        "restart",
        "Restart a resource",
        "kubectl rollout restart RESOURCE [options]",
        ROLLOUT_COMMON,
    ),
    cmd(
        "resume",
        "Resume a paused resource",
        "kubectl rollout resume RESOURCE [options]",
        ROLLOUT_COMMON,
    ),
    cmd(
        "status",
        "Show the status of the rollout",
        "kubectl rollout status (TYPE NAME | TYPE/NAME) [flags] [options]",
        ROLLOUT_STATUS_FLAGS,
    ),
    cmd(
        "undo",
        "Undo a previous rollout",
        "kubectl rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]",
        ROLLOUT_UNDO_FLAGS,
    ),
];

/// Mirrors staging/src/k8s.io/kubectl/pkg/cmd/clusterinfo/clusterinfo_dump.go (v1.34).
static CLUSTER_INFO_SUBCOMMANDS: &[Command] = &[Command {
    long: "Dump cluster information out suitable for debugging and diagnosing cluster problems.  By default, dumps everything to stdout. You can optionally specify a directory with --output-directory.  If you specify a directory, Kubernetes will build a set of files in that directory.  By default, only dumps things in the current namespace and 'kube-system' namespace, but you can switch to a different namespace with the --namespaces flag, or specify --all-namespaces to dump all namespaces.\n\n The command also dumps the logs of all of the pods in the cluster; these logs are dumped into different directories based on namespace and pod name.",
    examples: "  # Dump current cluster state to stdout\n  kubectl cluster-info dump\n  \n  # Dump current cluster state to /path/to/cluster-state\n  kubectl cluster-info dump --output-directory=/path/to/cluster-state\n  \n  # Dump all namespaces to stdout\n  kubectl cluster-info dump --all-namespaces\n  \n  # Dump a set of namespaces to /path/to/cluster-state\n  kubectl cluster-info dump --namespaces default,kube-system --output-directory=/path/to/cluster-state",
    ..cmd(
        "dump",
        "Dump relevant information for debugging and diagnosis",
        "kubectl cluster-info dump [flags] [options]",
        CLUSTER_INFO_DUMP_FLAGS,
    )
}];

static CLUSTER_INFO_DUMP_FLAGS: &[FlagSpec] = &[
    FlagSpec::new("all-namespaces", Bool, "false", "If true, dump all namespaces.  If true, --namespaces is ignored.").short('A'),
    ALLOW_MISSING,
    FlagSpec::new("namespaces", Slice, "[]", "A comma separated list of namespaces to dump."),
    FlagSpec::new("output", Str, "'json'", "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).").short('o'),
    FlagSpec::new("output-directory", Str, "''", "Where to output the files.  If empty or '-' uses stdout, otherwise creates a directory hierarchy in that directory"),
    FlagSpec::new("pod-running-timeout", Str, "20s", "The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running"),
    SHOW_MANAGED,
    TEMPLATE,
];

static TOP_SUBCOMMANDS: &[Command] = &[
    Command {
        aliases: &["nodes", "no"],
        ..cmd(
            "node",
            "Display resource (CPU/memory) usage of nodes",
            "kubectl top node [NAME | -l label] [options]",
            TOP_FLAGS,
        )
    },
    Command {
        aliases: &["pods", "po"],
        ..cmd(
            "pod",
            "Display resource (CPU/memory) usage of pods",
            "kubectl top pod [NAME | -l label] [options]",
            TOP_FLAGS,
        )
    },
];

static AUTH_SUBCOMMANDS: &[Command] = &[
    cmd(
        "can-i",
        "Check whether an action is allowed",
        "kubectl auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL] [options]",
        AUTH_CAN_I_FLAGS,
    ),
    cmd(
        "reconcile",
        "Reconciles rules for RBAC role, role binding, cluster role, and cluster role binding objects",
        "kubectl auth reconcile -f FILENAME [options]",
        NO_FLAGS,
    ),
    cmd(
        "whoami",
        "Experimental: Check self subject attributes",
        "kubectl auth whoami [options]",
        NO_FLAGS,
    ),
];

static CONFIG_SUBCOMMANDS: &[Command] = &[
    cmd(
        "current-context",
        "Display the current-context",
        "kubectl config current-context [options]",
        NO_FLAGS,
    ),
    cmd(
        "delete-cluster",
        "Delete the specified cluster from the kubeconfig",
        "kubectl config delete-cluster NAME [options]",
        NO_FLAGS,
    ),
    cmd(
        "delete-context",
        "Delete the specified context from the kubeconfig",
        "kubectl config delete-context NAME [options]",
        NO_FLAGS,
    ),
    cmd(
        "delete-user",
        "Delete the specified user from the kubeconfig",
        "kubectl config delete-user NAME [options]",
        NO_FLAGS,
    ),
    cmd(
        "get-clusters",
        "Display clusters defined in the kubeconfig",
        "kubectl config get-clusters [options]",
        NO_FLAGS,
    ),
    cmd(
        "get-contexts",
        "Describe one or many contexts",
        "kubectl config get-contexts [(-o|--output=)name)] [options]",
        GET_CONTEXTS_FLAGS,
    ),
    cmd(
        "get-users",
        "Display users defined in the kubeconfig",
        "kubectl config get-users [options]",
        NO_FLAGS,
    ),
    cmd(
        "rename-context",
        "Rename a context from the kubeconfig file",
        "kubectl config rename-context CONTEXT_NAME NEW_NAME [options]",
        NO_FLAGS,
    ),
    cmd(
        "set",
        "Set an individual value in a kubeconfig file",
        "kubectl config set PROPERTY_NAME PROPERTY_VALUE [options]",
        NO_FLAGS,
    ),
    cmd(
        "set-cluster",
        "Set a cluster entry in kubeconfig",
        "kubectl config set-cluster NAME [options]",
        NO_FLAGS,
    ),
    cmd(
        "set-context",
        "Set a context entry in kubeconfig",
        "kubectl config set-context [NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] [--namespace=namespace] [options]",
        SET_CONTEXT_FLAGS,
    ),
    cmd(
        "set-credentials",
        "Set a user entry in kubeconfig",
        "kubectl config set-credentials NAME [options]",
        NO_FLAGS,
    ),
    cmd(
        "unset",
        "Unset an individual value in a kubeconfig file",
        "kubectl config unset PROPERTY_NAME [options]",
        NO_FLAGS,
    ),
    cmd(
        "use-context",
        "Set the current-context in a kubeconfig file",
        "kubectl config use-context CONTEXT_NAME [options]",
        NO_FLAGS,
    ),
    cmd(
        "view",
        "Display merged kubeconfig settings or a specified kubeconfig file",
        "kubectl config view [flags] [options]",
        CONFIG_VIEW_FLAGS,
    ),
];

/// The groups of `kubectl --help`, with the commands of each.
pub const GROUPS: &[(&str, &[&str])] = &[
    (
        "Basic Commands (Beginner)",
        &["create", "expose", "run", "set"],
    ),
    (
        "Basic Commands (Intermediate)",
        &["explain", "get", "edit", "delete"],
    ),
    ("Deploy Commands", &["rollout", "scale", "autoscale"]),
    (
        "Cluster Management Commands",
        &[
            "certificate",
            "cluster-info",
            "top",
            "cordon",
            "uncordon",
            "drain",
            "taint",
        ],
    ),
    (
        "Troubleshooting and Debugging Commands",
        &[
            "describe",
            "logs",
            "attach",
            "exec",
            "port-forward",
            "proxy",
            "cp",
            "auth",
            "debug",
            "events",
        ],
    ),
    (
        "Advanced Commands",
        &["diff", "apply", "patch", "replace", "wait", "kustomize"],
    ),
    ("Settings Commands", &["label", "annotate", "completion"]),
    (
        "Other Commands",
        &[
            "api-resources",
            "api-versions",
            "config",
            "plugin",
            "version",
        ],
    ),
];

/// Finds a subcommand of `parent` by name or alias.
pub fn find<'a>(list: &'a [Command], name: &str) -> Option<&'a Command> {
    list.iter()
        .find(|c| c.name == name || c.aliases.contains(&name))
}

/// Every boolean-like flag of every command, for locating the command path (see
/// `parse::leading_positionals`).
pub fn all_flags() -> Vec<&'static FlagSpec> {
    fn walk(cmds: &'static [Command], out: &mut Vec<&'static FlagSpec>) {
        for c in cmds {
            out.extend(c.flags.iter());
            walk(c.subcommands, out);
        }
    }
    let mut out: Vec<&'static FlagSpec> = GLOBAL_FLAGS.iter().collect();
    walk(COMMANDS, &mut out);
    out
}
