// 第 3 课示例：路由、提取器与共享状态（付费附件）
use axum::{extract::{Path, State}, routing::get, Router};
use std::sync::Arc;

struct AppState { greeting: String }

async fn hello(State(s): State<Arc<AppState>>, Path(name): Path<String>) -> String {
    format!("{}, {name}!", s.greeting)
}

pub fn app() -> Router {
    let state = Arc::new(AppState { greeting: "你好".into() });
    Router::new().route("/hello/:name", get(hello)).with_state(state)
}
