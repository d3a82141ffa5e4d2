//! /metrics in the Prometheus text format (prometheus-client): jobs by state, submissions and rejections, queue wait, job and region solve seconds, region gaps and statuses.

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use starplan_format::output::PlanFile;

type Labels = Vec<(String, String)>;

pub struct Metrics {
    registry: Registry,
    jobs: Family<Labels, Gauge>,
    pub submitted: Counter,
    rejected: Family<Labels, Counter>,
    finished: Family<Labels, Counter>,
    pub queue_seconds: Histogram,
    pub job_seconds: Histogram,
    region_seconds: Histogram,
    region_gap: Histogram,
    regions: Family<Labels, Counter>,
}

fn label(key: &str, value: &str) -> Labels {
    vec![(key.to_string(), value.to_string())]
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("starplan");
        let jobs = Family::<Labels, Gauge>::default();
        let submitted = Counter::default();
        let rejected = Family::<Labels, Counter>::default();
        let finished = Family::<Labels, Counter>::default();
        // 0.1 s … about 55 minutes.
        let queue_seconds = Histogram::new(exponential_buckets(0.1, 2.0, 16));
        let job_seconds = Histogram::new(exponential_buckets(0.1, 2.0, 16));
        let region_seconds = Histogram::new(exponential_buckets(0.01, 2.0, 20));
        // 0.01 % … about 160 %: a gap above 100 % means a negative bound.
        let region_gap = Histogram::new(exponential_buckets(0.0001, 2.0, 15));
        let regions = Family::<Labels, Counter>::default();
        registry.register("jobs", "Jobs in the store by state", jobs.clone());
        registry.register("jobs_submitted", "Jobs accepted (202)", submitted.clone());
        registry.register(
            "requests_rejected",
            "Requests refused, by reason (too_large, invalid, queue_full, unauthorized)",
            rejected.clone(),
        );
        registry.register(
            "jobs_finished",
            "Jobs finished, by final state",
            finished.clone(),
        );
        registry.register(
            "job_queue_seconds",
            "Seconds from submission to a worker taking the job",
            queue_seconds.clone(),
        );
        registry.register(
            "job_solve_seconds",
            "Seconds a worker spent on a job",
            job_seconds.clone(),
        );
        registry.register(
            "region_solve_seconds",
            "Seconds per solved region (build and solve)",
            region_seconds.clone(),
        );
        registry.register(
            "region_gap_ratio",
            "Proven relative gap per solved region with a bound (0.01 = 1 %)",
            region_gap.clone(),
        );
        registry.register("regions", "Solved regions by plan status", regions.clone());
        Metrics {
            registry,
            jobs,
            submitted,
            rejected,
            finished,
            queue_seconds,
            job_seconds,
            region_seconds,
            region_gap,
            regions,
        }
    }

    pub fn reject(&self, reason: &str) {
        self.rejected.get_or_create(&label("reason", reason)).inc();
    }

    pub fn finished(&self, state: &str) {
        self.finished.get_or_create(&label("state", state)).inc();
    }

    /// Records every region of a finished job's plan.
    pub fn plan(&self, plan: &PlanFile) {
        for r in &plan.regions {
            let status = serde_json::to_value(r.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            self.regions.get_or_create(&label("status", &status)).inc();
            if r.seconds > 0.0 {
                self.region_seconds.observe(r.seconds);
            }
            if let Some(g) = r.gap {
                self.region_gap.observe(g);
            }
        }
    }

    /// The text exposition, with the job counts read just before.
    pub fn render(&self, counts: &[(crate::jobs::JobState, usize)]) -> String {
        for (state, n) in counts {
            self.jobs
                .get_or_create(&label("state", state.as_str()))
                .set(*n as i64);
        }
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}
