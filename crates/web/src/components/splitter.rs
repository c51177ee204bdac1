use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Which way the splitter bar runs: a vertical bar resizes widths, a horizontal one heights.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SplitterAxis {
    Vertical,
    Horizontal,
}

#[derive(Properties, PartialEq)]
pub struct SplitterProps {
    pub axis: SplitterAxis,
    /// Called with the pointer or keyboard movement in CSS pixels along the axis.
    pub on_resize: Callback<f64>,
    pub label: AttrValue,
}

/// Keyboard step for arrow keys, in CSS pixels.
const KEY_STEP: f64 = 24.0;

/// A draggable bar between two panes; also resizable with the arrow keys when focused.
#[function_component(Splitter)]
pub fn splitter(props: &SplitterProps) -> Html {
    let last = use_mut_ref(|| None::<f64>);
    let axis = props.axis;
    let coord = move |e: &PointerEvent| match axis {
        SplitterAxis::Vertical => e.client_x() as f64,
        SplitterAxis::Horizontal => e.client_y() as f64,
    };

    let onpointerdown = {
        let last = last.clone();
        Callback::from(move |e: PointerEvent| {
            if let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            *last.borrow_mut() = Some(coord(&e));
        })
    };
    let onpointermove = {
        let last = last.clone();
        let on_resize = props.on_resize.clone();
        Callback::from(move |e: PointerEvent| {
            let mut last = last.borrow_mut();
            if let Some(prev) = *last {
                let now = coord(&e);
                on_resize.emit(now - prev);
                *last = Some(now);
            }
        })
    };
    let onpointerup = {
        let last = last.clone();
        Callback::from(move |_: PointerEvent| *last.borrow_mut() = None)
    };
    let onkeydown = {
        let on_resize = props.on_resize.clone();
        Callback::from(move |e: KeyboardEvent| {
            let delta = match (axis, e.key().as_str()) {
                (SplitterAxis::Vertical, "ArrowLeft") | (SplitterAxis::Horizontal, "ArrowUp") => -KEY_STEP,
                (SplitterAxis::Vertical, "ArrowRight") | (SplitterAxis::Horizontal, "ArrowDown") => KEY_STEP,
                _ => return,
            };
            e.prevent_default();
            on_resize.emit(delta);
        })
    };
    let (class, orientation) = match axis {
        SplitterAxis::Vertical => ("splitter splitter-v", "vertical"),
        SplitterAxis::Horizontal => ("splitter splitter-h", "horizontal"),
    };
    html! {
        <div class={class} role="separator" tabindex="0" aria-orientation={orientation}
            aria-label={props.label.clone()} title={props.label.clone()}
            {onpointerdown} {onpointermove} onpointerup={onpointerup.clone()}
            onpointercancel={onpointerup} {onkeydown} />
    }
}
