//! Renders a lesson text's markdown blocks (parsed by `lab::lesson::markdown`).

use lab::lesson::{Block, Inline};
use yew::prelude::*;

pub fn render(blocks: &[Block]) -> Html {
    html! { <>{ for blocks.iter().map(block) }</> }
}

fn block(block: &Block) -> Html {
    match block {
        Block::Paragraph(inlines) => html! { <p>{ for inlines.iter().map(inline) }</p> },
        Block::Bullets(items) => html! {
            <ul>{ for items.iter().map(|item| html! { <li>{ for item.iter().map(inline) }</li> }) }</ul>
        },
        Block::Code(code) => html! { <pre class="lesson-code"><code>{code}</code></pre> },
    }
}

fn inline(inline: &Inline) -> Html {
    match inline {
        Inline::Text(text) => html! { {text} },
        Inline::Code(code) => html! { <code>{code}</code> },
        Inline::Strong(text) => html! { <strong>{text}</strong> },
    }
}
