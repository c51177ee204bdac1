//! Checker for `names.jsonl`: each validator's exact error list.

use machinery::validation;
use serde_json::Value;

use super::Outcome;
use super::util;

pub fn check(row: &Value) -> Outcome {
    let f: fn(&str) -> Vec<String> = match util::str_field(row, "fn") {
        "IsDNS1123Label" => validation::is_dns1123_label,
        "IsDNS1123Subdomain" => validation::is_dns1123_subdomain,
        "IsDNS1035Label" => validation::is_dns1035_label,
        "IsQualifiedName" => validation::is_qualified_name,
        "IsValidLabelValue" => validation::is_valid_label_value,
        "IsConfigMapKey" => validation::is_config_map_key,
        "IsValidPortName" => validation::is_valid_port_name,
        "IsCIdentifier" => validation::is_c_identifier,
        "IsValidPercent" => validation::is_valid_percent,
        other => {
            return Outcome::Unsupported {
                kind: format!("fn {other}"),
            };
        }
    };
    let expected = util::str_list(row.pointer("/derived/errors"));
    util::compare(expected, f(util::str_field(row, "value")))
}
