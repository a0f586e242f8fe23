pub(super) mod analysis;
pub(super) mod aspect_fold;
pub(super) mod edge_pipeline;
pub(super) mod finalize;
pub(super) mod manual_layout;
pub(super) mod objectives;
pub(super) mod path_cleanup;
pub(super) mod plan;
pub(super) mod policy;
pub(super) mod post_route;
pub(super) mod roles;
pub(super) mod route_labels;
#[cfg(any(debug_assertions, test))]
pub(super) mod stage_validation;
pub(super) mod subgraph_spacing;
