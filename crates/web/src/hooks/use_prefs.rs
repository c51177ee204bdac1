use yew::prelude::*;

use crate::state::LabContext;
use crate::storage;

/// Applies the language and theme to the document (`<html lang data-theme>`, Monaco's theme)
/// and keeps them for the next visit.
#[hook]
pub fn use_prefs(lab: &LabContext) {
    use_effect_with((lab.lang, lab.theme), |(lang, theme)| {
        storage::save_lang(*lang);
        storage::save_theme(*theme);
        if let Some(root) = gloo::utils::document().document_element() {
            let _ = root.set_attribute("lang", lang.code());
            let _ = root.set_attribute("data-theme", theme.code());
        }
        crate::components::set_editor_theme(*theme);
    });
}
