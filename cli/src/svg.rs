//! SVG pictures without Graphviz: the [`Picture`] laid out by the pure-Rust `layout-rs`
//! crate, left to right. layout-rs draws every text in one color, so the two lines of an
//! edge label (value, gradient) are colored afterwards, as on the lecture's slides.

use layout::backends::svg::SVGWriter;
use layout::core::base::Orientation;
use layout::core::style::{LineStyleKind, StyleAttr};
use layout::std_shapes::render::get_shape_size;
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
use layout::topo::layout::VisualGraph;

use crate::input::Failure;
use crate::picture::{GRADIENT_COLOR, Picture, VALUE_COLOR};

const FONT_SIZE: usize = 14;

/// The most shapes laid out in-process: layout-rs's crossing reduction grows faster than
/// linearly (about 3 s for 120 shapes and 10 s for 600 in a debug build).
pub const MAX_SHAPES: usize = 400;

/// The picture as an SVG document, or a failure when it is too large to lay out here or
/// layout-rs gives up on it.
pub fn render(picture: &Picture) -> Result<String, Failure> {
    if picture.nodes.len() > MAX_SHAPES {
        return Err(Failure::new(
            format!(
                "the graph has {} shapes, more than the {MAX_SHAPES} that `-o FILE.svg` lays out",
                picture.nodes.len()
            ),
            Some("write Graphviz DOT with `-o graph.dot` and render it with `dot -Tsvg`".into()),
        ));
    }
    // layout-rs asserts its own invariants with panics; a failure to lay out is reported
    // as an error, never as a crash (its panic message is silenced while it runs).
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let laid_out = std::panic::catch_unwind(|| lay_out(picture));
    std::panic::set_hook(hook);
    laid_out.map_err(|_| {
        Failure::new(
            "the layout engine could not draw this graph",
            Some("write Graphviz DOT with `-o graph.dot` instead".into()),
        )
    })
}

fn lay_out(picture: &Picture) -> String {
    let direction = Orientation::LeftToRight;
    let mut graph = VisualGraph::new(direction);
    let handles: Vec<_> = picture
        .nodes
        .iter()
        .map(|n| {
            let shape = if n.is_gate {
                ShapeKind::new_circle(&n.label)
            } else {
                ShapeKind::new_box(&n.label)
            };
            // As layout-rs's own DOT front end does: shapes are sized across the flow.
            let size = get_shape_size(direction.flip(), &shape, FONT_SIZE, n.is_gate);
            graph.add_node(Element::create(
                shape,
                StyleAttr::simple(),
                direction.flip(),
                size,
            ))
        })
        .collect();
    for e in &picture.edges {
        let text = e.label_lines().map(|l| l.join("\n")).unwrap_or_default();
        let arrow = Arrow::new(
            LineEndKind::None,
            LineEndKind::Arrow,
            LineStyleKind::Normal,
            &text,
            &StyleAttr::simple(),
            &None,
            &None,
        );
        graph.add_edge(arrow, handles[e.from], handles[e.to]);
    }
    let mut writer = SVGWriter::new();
    graph.do_it(false, false, false, &mut writer);
    color_edge_labels(&writer.finalize())
}

/// Node labels are one line and edge labels two, so every text of two lines is an edge
/// label: its first line (the value) turns green, its second (the gradient) red.
fn color_edge_labels(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len() + 1024);
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        let Some(len) = rest[start..].find("</text>") else {
            break;
        };
        let end = start + len + "</text>".len();
        out.push_str(&rest[..start]);
        let element = &rest[start..end];
        if element.matches("<tspan").count() == 2 {
            out.push_str(
                &element
                    .replacen("<tspan", &format!("<tspan fill=\"{VALUE_COLOR}\""), 1)
                    .replacen(
                        "<tspan x",
                        &format!("<tspan fill=\"{GRADIENT_COLOR}\" x"),
                        1,
                    ),
            );
        } else {
            out.push_str(element);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}
