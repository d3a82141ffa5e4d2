//! Progress of a batch solve: an indicatif bar on a terminal (regions done, best and worst gap, regions running), or one JSON log line per region start and end.

use super::logs::LogFormat;
use crate::engine::RegionEvent;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::sync::Mutex;

#[derive(Default)]
struct State {
    running: BTreeSet<String>,
    best: Option<f64>,
    worst: Option<f64>,
}

/// Reports region events as a bar or as log lines; quiet on a pipe in text mode.
pub struct Reporter {
    bar: Option<ProgressBar>,
    json: bool,
    state: Mutex<State>,
}

impl Reporter {
    pub fn new(total: usize, format: LogFormat, quiet: bool) -> Reporter {
        let json = format == LogFormat::Json;
        let show = !json && !quiet && total > 0 && std::io::stderr().is_terminal();
        let bar = show.then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{elapsed_precise} [{bar:30}] {pos}/{len} regions  {wide_msg}",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(250));
            bar
        });
        Reporter {
            bar,
            json,
            state: Mutex::new(State::default()),
        }
    }

    pub fn event(&self, ev: &RegionEvent<'_>) {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        match ev {
            RegionEvent::Started {
                region,
                groups,
                managers,
                ..
            } => {
                st.running.insert(region.to_string());
                if self.json {
                    tracing::info!(region, groups, managers, "region_started");
                }
            }
            RegionEvent::Finished {
                plan, interrupted, ..
            } => {
                let Some(r) = plan.regions.first() else {
                    return;
                };
                st.running.remove(&r.id);
                if let Some(g) = r.gap {
                    st.best = Some(st.best.map_or(g, |b| b.min(g)));
                    st.worst = Some(st.worst.map_or(g, |w| w.max(g)));
                }
                if self.json {
                    let status = super::io::to_json(&r.status);
                    tracing::info!(
                        region = r.id,
                        status = status.trim().trim_matches('"'),
                        gap = r.gap,
                        objective = r.objective,
                        bound = r.bound,
                        seconds = r.seconds,
                        interrupted,
                        "region_finished"
                    );
                }
                if let Some(bar) = &self.bar {
                    bar.inc(1);
                }
            }
        }
        if let Some(bar) = &self.bar {
            bar.set_message(message(&st));
        }
    }

    /// Clears the bar, so the summary table that follows starts on a clean line.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn message(st: &State) -> String {
    let pct = |g: Option<f64>| g.map_or("-".into(), |g| format!("{:.2} %", g * 100.0));
    let running: Vec<&str> = st.running.iter().map(String::as_str).collect();
    format!(
        "gap best {} worst {}  running: {}",
        pct(st.best),
        pct(st.worst),
        if running.is_empty() {
            "-".into()
        } else {
            running.join(", ")
        }
    )
}
