//! Criterion benchmarks: building one region's model, and solving a small province end to end.

use criterion::{criterion_group, criterion_main, Criterion};
use starplan::engine::convert::to_instance;
use starplan::engine::{region_problem, solve, SolveOptions};
use starplan::generate::province;
use starplan::model::build_only;

fn build_region(c: &mut Criterion) {
    for groups in [250, 1000] {
        let inst = to_instance(&province(1, 1, groups, None));
        let (problem, _) = region_problem(&inst, 0);
        c.bench_function(&format!("build_region_{groups}_groups"), |b| {
            b.iter(|| build_only(&problem))
        });
    }
}

fn solve_small(c: &mut Criterion) {
    let inst = to_instance(&province(2, 2, 300, None));
    let opts = SolveOptions {
        threads: 1,
        no_timings: true,
        ..Default::default()
    };
    let mut group = c.benchmark_group("solve");
    group.sample_size(10);
    group.bench_function("province_2_regions_300_groups", |b| {
        b.iter(|| solve(&inst, &opts).unwrap())
    });
    group.finish();
}

criterion_group!(benches, build_region, solve_small);
criterion_main!(benches);
