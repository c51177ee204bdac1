use super::*;

const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: kubia
spec:
  containers:
  - name: kubia
    image: luksa/kubia
";

/// Decodes `input` as `kubia.yaml` and renders each result as `ok <kind>/<name>` or the
/// error text with its line.
fn check(input: &str) -> Vec<String> {
    decode(input, "kubia.yaml")
        .into_iter()
        .map(|r| match r {
            Ok(d) => format!(
                "ok {}/{} doc {} line {}",
                d.object.kind(),
                d.object.name(),
                d.document_index,
                d.line
            ),
            Err(e) => format!("{e} (line {})", e.line()),
        })
        .collect()
}

struct Case {
    name: &'static str,
    input: String,
    want: Vec<&'static str>,
}

#[test]
fn kubectl_error_wording() {
    let cases = [
        Case { name: "valid pod", input: POD.into(), want: vec!["ok Pod/kubia doc 0 line 1"] },
        Case {
            name: "mapping values",
            input: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kubia\nspec:\n  containers:\n  - name: kubia\n    image: luksa/kubia: x\n".into(),
            want: vec!["error parsing kubia.yaml: error converting YAML to JSON: yaml: line 8: mapping values are not allowed in this context (line 8)"],
        },
        Case {
            name: "line numbers restart after a separator",
            input: format!("{POD}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\n bad: x\n"),
            want: vec![
                "ok Pod/kubia doc 0 line 1",
                "error parsing kubia.yaml: error converting YAML to JSON: yaml: line 4: did not find expected key (line 14)",
            ],
        },
        Case {
            name: "missing kind",
            input: "apiVersion: v1\nmetadata:\n  name: kubia\n".into(),
            want: vec!["error validating \"kubia.yaml\": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false (line 1)"],
        },
        Case {
            name: "missing both",
            input: "metadata:\n  name: kubia\n".into(),
            want: vec!["error validating \"kubia.yaml\": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false (line 1)"],
        },
        Case {
            name: "removed API version",
            input: "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: kubia\n".into(),
            want: vec!["resource mapping not found for name: \"kubia\" namespace: \"\" from \"kubia.yaml\": no matches for kind \"Deployment\" in version \"extensions/v1beta1\"\nensure CRDs are installed first (line 2)"],
        },
        Case {
            name: "mapping errors do not stop the stream",
            input: format!("apiVersion: apps/v1beta1\nkind: Deployment\nmetadata:\n  name: old\n  namespace: dev\n---\n{POD}"),
            want: vec![
                "resource mapping not found for name: \"old\" namespace: \"dev\" from \"kubia.yaml\": no matches for kind \"Deployment\" in version \"apps/v1beta1\"\nensure CRDs are installed first (line 2)",
                "ok Pod/kubia doc 1 line 7",
            ],
        },
        Case {
            name: "unknown field",
            input: POD.replace("    image:", "    imagee:"),
            want: vec!["Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].imagee\" (line 8)"],
        },
        Case {
            // kubectl sends the manifest as JSON with sorted keys, so the server lists the
            // fields in that order (the line is still the first one in the file).
            name: "several unknown fields in the order of kubectl's JSON body",
            input: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  foo: 1\n  baz: 2\n".into(),
            want: vec!["Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.baz\", unknown field \"spec.foo\" (line 6)"],
        },
        Case {
            name: "misplaced restartPolicy",
            input: format!("{POD}restartPolicy: Never\n"),
            want: vec!["Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"restartPolicy\" (line 9)"],
        },
        Case {
            name: "wrong type",
            input: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: \"3\"\n".into(),
            want: vec!["Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32 (line 6)"],
        },
        Case {
            name: "bad separator",
            input: format!("{POD}--- x\n{POD}"),
            // The document above a bad separator is dropped too, as upstream's YAMLReader does.
            want: vec!["error parsing kubia.yaml: invalid Yaml document separator: x (line 9)"],
        },
        Case {
            name: "empty documents are skipped",
            input: format!("---\n# just a comment\n---\n{POD}---\n"),
            want: vec!["ok Pod/kubia doc 0 line 4"],
        },
        Case {
            name: "scalar document",
            input: "hello\n".into(),
            want: vec!["error validating \"kubia.yaml\": error validating data: json: cannot unmarshal string into Go value of type map[string]interface {}; if you choose to ignore these errors, turn validation off with --validate=false (line 1)"],
        },
        Case {
            name: "list is flattened",
            input: "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: b\n".into(),
            want: vec!["ok ConfigMap/a doc 0 line 4", "ok Secret/b doc 0 line 8"],
        },
        Case {
            name: "json",
            input: "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\",\n \"metadata\": {\"name\": \"c\"}}\n".into(),
            want: vec!["ok ConfigMap/c doc 0 line 1"],
        },
        Case {
            name: "json unknown field",
            input: "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\",\n \"metadata\": {\"name\": \"c\"},\n \"spec\": {}}\n".into(),
            want: vec!["ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown field \"spec\" (line 3)"],
        },
        Case {
            name: "json syntax",
            input: "{\"apiVersion\": \"v1\",}".into(),
            want: vec!["error parsing kubia.yaml: json: trailing comma (line 1)"],
        },
    ];
    for case in &cases {
        assert_eq!(check(&case.input), case.want, "case {}", case.name);
    }
}

#[test]
fn positions_are_file_lines() {
    let input = format!("{POD}---\n{POD}");
    let results = decode(&input, "f.yaml");
    let second = results[1].as_ref().expect("second pod");
    assert_eq!(second.line, 10);
    assert_eq!(
        second.source_map.get("spec.containers[0].image"),
        Some(Position {
            line: 17,
            column: 5
        })
    );
    assert_eq!(
        second.source_map.get("metadata.name"),
        Some(Position {
            line: 13,
            column: 3
        })
    );
}

#[test]
fn duplicates_keep_last_value_and_are_reported() {
    let input = POD.replace("    image: luksa/kubia\n", "    image: a\n    image: b\n");
    let decoded = decode_one(&input, "f.yaml").expect("pod");
    let Object::Pod(pod) = &decoded.object else {
        panic!("not a pod")
    };
    let spec = pod.spec.as_ref().expect("spec");
    assert_eq!(spec.containers[0].image.as_deref(), Some("b"));
    assert_eq!(decoded.duplicates.len(), 1);
    assert_eq!(decoded.duplicates[0].path, "spec.containers[0].image");
    assert_eq!(
        (decoded.duplicates[0].line, decoded.duplicates[0].first_line),
        (9, 8)
    );
}

#[test]
fn too_large_documents_are_rejected() {
    let big = "x".repeat(MAX_REQUEST_BYTES + 10);
    let input =
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  k: {big}\n");
    let got = check(&input);
    assert_eq!(
        got,
        vec!["Request entity too large: limit is 3145728 (line 1)"]
    );
    let err = decode(&input, "f").remove(0).unwrap_err();
    assert_eq!(err.server_reason(), Some("RequestEntityTooLarge"));
}

#[test]
fn garbage_never_panics() {
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, c) in ('b'..='i').enumerate() {
        let prev = (b'a' + i as u8) as char;
        bomb.push_str(&format!(
            "{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    let inputs: Vec<String> = vec![
        bomb,
        "\u{0}\u{1}\u{2}".into(),
        "{".into(),
        "[".repeat(10_000),
        "{".repeat(10_000),
        "- ".repeat(5_000),
        "a: *unknown\n".into(),
        "a: !!binary x\n".into(),
        "\t\t: :\n".into(),
        "---\n---\n---\n".into(),
        "%YAML 1.1\n%YAML 1.1\n---\na: 1\n".into(),
        "apiVersion: v1\nkind: Pod\nmetadata: [1, 2]\n".into(),
        "apiVersion: 1\nkind: true\n".into(),
        "kind: Pod\napiVersion: v1\nspec:\n  containers: {a: 1}\n".into(),
        "é: ü\n\"\\ud800\": x\n".into(),
        "? [a, b]\n: c\n".into(),
    ];
    for input in &inputs {
        let results = decode(input, "garbage.yaml");
        for r in results {
            if let Err(e) = r {
                assert!(!e.to_string().is_empty());
            }
        }
    }
    // Every prefix of a real manifest either decodes or errors.
    for end in 0..POD.len() {
        if POD.is_char_boundary(end) {
            let _ = decode(&POD[..end], "prefix.yaml");
        }
    }
}

#[test]
fn alias_bomb_is_an_error() {
    let mut bomb = String::from(
        "apiVersion: v1\nkind: ConfigMap\nx0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..9 {
        let p = i - 1;
        bomb.push_str(&format!(
            "x{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
        ));
    }
    let got = check(&bomb);
    assert_eq!(got.len(), 1);
    assert!(
        got[0].starts_with("error parsing kubia.yaml: error converting YAML to JSON: yaml: "),
        "{}",
        got[0]
    );
    assert!(got[0].contains("excessive aliasing"), "{}", got[0]);
}

/// `yaml.ToJSON` (apimachinery pkg/util/yaml, v1.34) for a patch: go-yaml v2's scalars and its
/// words for a bad document, without the `error converting YAML to JSON` of a manifest.
#[test]
fn yaml_to_json_converts_as_go_yaml_and_words_its_errors() {
    assert_eq!(
        yaml_to_json("spec:\n  paused: yes\n  replicas: 0x10\n  image: nginx:1.25\n"),
        Ok(serde_json::json!({"spec": {"paused": true, "replicas": 16, "image": "nginx:1.25"}}))
    );
    assert_eq!(yaml_to_json("# only a comment\n"), Ok(Value::Null));
    assert_eq!(
        yaml_to_json("spec: [1, 2\n"),
        Err("yaml: line 1: did not find expected ',' or ']'".to_string())
    );
    assert_eq!(
        yaml_to_json("a: b: c\n"),
        Err("yaml: mapping values are not allowed in this context".to_string())
    );
}
