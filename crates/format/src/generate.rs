//! Synthetic provinces from a seed: realistic class and member mixes and a current layout with the flaws real ones have.

use crate::input::{ClassIn, GroupIn, InputFile, ManagerIn, RegionIn};
use crate::policy::{default_policy, PolicyIn};
use rand::{seq::SliceRandom, Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal};

const CITIES: [(&str, &str, f64); 11] = [
    ("HZ", "杭州", 1.8),
    ("NB", "宁波", 1.5),
    ("WZ", "温州", 1.3),
    ("SX", "绍兴", 1.0),
    ("JH", "金华", 1.0),
    ("TZ", "台州", 1.0),
    ("JX", "嘉兴", 0.9),
    ("HU", "湖州", 0.7),
    ("QZ", "衢州", 0.5),
    ("LS", "丽水", 0.5),
    ("ZS", "舟山", 0.4),
];
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
    "秀英", "建华", "晓东", "海燕", "志强",
];
const TRADES: &[&str] = &[
    "电子", "纺织", "建设", "物流", "医药", "食品", "机械", "化工", "银行", "证券", "教育", "商贸",
    "能源", "汽车", "港务", "传媒",
];
const SUFFIX: &[&str] = &["集团", "股份有限公司", "有限公司", "控股集团"];

/// Class mix of groups: share of A, B, C.
const CLASS_MIX: [f64; 3] = [0.12, 0.30, 0.58];
/// Median members by class (lognormal); class A's mean is near the article's 210.
const MEDIAN_MEMBERS: [f64; 3] = [190.0, 85.0, 30.0];
const SIGMA_MEMBERS: [f64; 3] = [0.45, 0.55, 0.65];
/// Staff of each star relative to what its home class needs: deliberately not a match.
const STAR_SUPPLY: [f64; 3] = [1.05, 1.1, 0.9];

/// A province of `regions` regions and about `groups` groups (and about `managers` managers,
/// when given; otherwise as many as the workload needs), the same for the same seed.
pub fn province(seed: u64, regions: usize, groups: usize, managers: Option<usize>) -> InputFile {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let policy = default_policy();
    let weights: Vec<f64> = (0..regions)
        .map(|r| CITIES.get(r).map_or(0.8, |c| c.2))
        .collect();
    let total: f64 = weights.iter().sum();
    let mut file = InputFile {
        schema_version: 1,
        policy: PolicyIn::default(),
        regions: vec![],
        managers: vec![],
        groups: vec![],
    };
    let (mut next_m, mut next_g) = (1, 1);
    for (r, w) in weights.iter().enumerate() {
        let (id, name) = match CITIES.get(r) {
            Some(c) => (c.0.to_string(), c.1.to_string()),
            None => (format!("R{:02}", r + 1), format!("区域{}", r + 1)),
        };
        file.regions.push(RegionIn {
            id: id.clone(),
            name: Some(name.clone()),
        });
        let n_groups = ((groups as f64 * w / total).round() as usize).max(1);
        let gs = sample_groups(&mut rng, n_groups);
        // With a manager total, each region gets its share by groups, split by star as needed.
        let share = managers.map(|m| (m as f64 * n_groups as f64 / groups as f64).max(3.0));
        let stars = stars_needed(&policy, &gs, share);
        let mine = hire(&mut rng, &mut file, &stars, &id, &mut next_m);
        place(&mut rng, &mut file, gs, &mine, (&id, &name), &mut next_g);
        flag(&mut rng, &mut file, &mine, r == 0);
        if managers.is_none() {
            next_m = top_up(&mut file, &id, next_m);
        }
    }
    file
}

/// A region's groups: class and members, sorted by class.
fn sample_groups(rng: &mut ChaCha8Rng, n: usize) -> Vec<(ClassIn, u32)> {
    let mut gs: Vec<(ClassIn, u32)> = (0..n)
        .map(|_| {
            let class = pick_class(rng);
            let c = class.idx();
            let ln =
                LogNormal::new(MEDIAN_MEMBERS[c].ln(), SIGMA_MEMBERS[c]).expect("valid lognormal");
            (class, ln.sample(rng).round().clamp(3.0, 3000.0) as u32)
        })
        .collect();
    gs.sort_by_key(|g| g.0);
    gs
}

/// The star of each manager to hire: per star, from the hours its home class needs at ~85 %
/// utilisation, scaled to `share` managers when a total is imposed.
fn stars_needed(policy: &PolicyIn, gs: &[(ClassIn, u32)], share: Option<f64>) -> Vec<i64> {
    let need: Vec<(i64, f64)> = [3, 2, 1]
        .into_iter()
        .map(|star| {
            let hours: f64 = gs
                .iter()
                .filter(|g| g.0.home_star() == star)
                .map(|g| hours_of(policy, g.0, g.1))
                .sum();
            (
                star,
                hours / (policy.monthly_hours * 0.85) * STAR_SUPPLY[3 - star as usize],
            )
        })
        .collect();
    let scale = share.map_or(1.0, |share| {
        share / need.iter().map(|n| n.1).sum::<f64>().max(1e-9)
    });
    let mut stars: Vec<i64> = Vec::new();
    for (star, n) in need {
        let count = (n * scale).round().max(1.0);
        stars.extend(std::iter::repeat_n(star, count as usize));
    }
    stars
}

/// Hires one manager per star given; returns their positions in `file.managers`.
fn hire(
    rng: &mut ChaCha8Rng,
    file: &mut InputFile,
    stars: &[i64],
    region: &str,
    next_m: &mut usize,
) -> Vec<usize> {
    let first_m = file.managers.len();
    for star in stars {
        let name = format!(
            "{}{}",
            SURNAMES.choose(rng).unwrap(),
            GIVEN.choose(rng).unwrap()
        );
        file.managers.push(ManagerIn {
            id: format!("M{:04}", *next_m),
            region: region.to_string(),
            star: *star,
            name: Some(name),
            capacity: if rng.gen_bool(0.05) { 0.5 } else { 1.0 },
            available: true,
            frozen: false,
        });
        *next_m += 1;
    }
    (first_m..file.managers.len()).collect()
}

/// Adds the region's groups, each with a current manager drawn with an uneven pull (some
/// managers collect far more than their share), a few without one.
fn place(
    rng: &mut ChaCha8Rng,
    file: &mut InputFile,
    gs: Vec<(ClassIn, u32)>,
    mine: &[usize],
    (region, name): (&str, &str),
    next_g: &mut usize,
) {
    let pull: Vec<f64> = mine
        .iter()
        .map(|_| LogNormal::new(0.0, 0.4).unwrap().sample(rng))
        .collect();
    for (class, members) in gs {
        let current = if rng.gen_bool(0.04) {
            None
        } else {
            Some(pick_manager(rng, &file.managers, mine, &pull, class))
        };
        let trade = TRADES.choose(rng).unwrap();
        file.groups.push(GroupIn {
            id: format!("G{:05}", *next_g),
            region: region.to_string(),
            class,
            members: i64::from(members),
            current_manager: current.map(|m| file.managers[m].id.clone()),
            pinned: false,
            last_moved: None,
            name: Some(format!("{name}{trade}{}", SUFFIX.choose(rng).unwrap())),
        });
        *next_g += 1;
    }
}

/// New hires until each star can hold its home class within 90 % of its hard limits (C6, C7),
/// counting only available, non-frozen managers: a generated region is then feasible unless
/// a manager total was imposed. Returns the next free manager number.
fn top_up(file: &mut InputFile, region: &str, mut next_m: usize) -> usize {
    let policy = default_policy();
    let (max_groups, span_max) = (
        policy.max_groups.to_array(),
        policy.member_span.max.to_array(),
    );
    for star in [3i64, 2, 1] {
        let class = ClassIn::home_of(star);
        let home: Vec<&GroupIn> = file
            .groups
            .iter()
            .filter(|g| g.region == region && g.class == class)
            .collect();
        let (need, members) = (
            home.len() as f64,
            home.iter().map(|g| g.members as f64).sum::<f64>(),
        );
        let s = (star - 1) as usize;
        let serving = |f: &InputFile| {
            f.managers
                .iter()
                .filter(|m| m.region == region && m.star == star && m.available && !m.frozen)
                .map(|m| {
                    (
                        (max_groups[s] * m.capacity + 1e-9).floor(),
                        span_max[s] * m.capacity,
                    )
                })
                .fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1))
        };
        let mut have = serving(file);
        while need > 0.9 * have.0 || members > 0.9 * have.1 {
            file.managers.push(ManagerIn {
                id: format!("M{next_m:04}"),
                region: region.into(),
                star,
                name: Some("新员工".into()),
                capacity: 1.0,
                available: true,
                frozen: false,
            });
            next_m += 1;
            have = serving(file);
        }
    }
    next_m
}

fn pick_class(rng: &mut ChaCha8Rng) -> ClassIn {
    let u: f64 = rng.gen();
    if u < CLASS_MIX[0] {
        ClassIn::A
    } else if u < CLASS_MIX[0] + CLASS_MIX[1] {
        ClassIn::B
    } else {
        ClassIn::C
    }
}

/// Monthly service hours of a group, to size the generated staff (the generator's own
/// arithmetic: the format layer shares no rule code with the solver).
fn hours_of(p: &PolicyIn, class: ClassIn, members: u32) -> f64 {
    let s = p.service.get(class);
    s.visits_per_month * s.hours_per_visit + f64::from(members) * s.hours_per_member
}

/// The current manager of a group: mostly the home star, sometimes a neighbouring one,
/// rarely a pair the default policy forbids (1★ serving A).
fn pick_manager(
    rng: &mut ChaCha8Rng,
    managers: &[ManagerIn],
    mine: &[usize],
    pull: &[f64],
    class: ClassIn,
) -> usize {
    let home = class.home_star();
    let u: f64 = rng.gen();
    let star = if u < 0.82 {
        home
    } else if u < 0.99 {
        if home == 3 || (home == 2 && rng.gen_bool(0.5)) {
            home - 1
        } else {
            home + 1
        }
    } else {
        4 - home
    };
    let pool: Vec<usize> = (0..mine.len())
        .filter(|&i| managers[mine[i]].star == star)
        .collect();
    let pool = if pool.is_empty() {
        (0..mine.len()).collect()
    } else {
        pool
    };
    let total: f64 = pool.iter().map(|&i| pull[i]).sum();
    let mut x = rng.gen::<f64>() * total;
    for &i in &pool {
        x -= pull[i];
        if x <= 0.0 {
            return mine[i];
        }
    }
    mine[*pool.last().expect("pool is not empty")]
}

/// Marks a leaving manager, a frozen manager and a few pinned groups in one region.
fn flag(rng: &mut ChaCha8Rng, file: &mut InputFile, mine: &[usize], always_leaving: bool) {
    let region = file.managers[mine[0]].region.clone();
    let book = |file: &InputFile, m: usize| -> Vec<usize> {
        let id = &file.managers[m].id;
        (0..file.groups.len())
            .filter(|&g| file.groups[g].current_manager.as_ref() == Some(id))
            .collect()
    };
    let allowed = |g: &GroupIn, star: i64| !(g.class == ClassIn::A && star == 1);
    if always_leaving || rng.gen_bool(0.5) {
        let m = *mine.choose(rng).unwrap();
        file.managers[m].available = false;
    }
    if mine.len() > 4 && rng.gen_bool(0.4) {
        let candidates: Vec<usize> = mine
            .iter()
            .copied()
            .filter(|&m| {
                file.managers[m].available
                    && book(file, m)
                        .iter()
                        .all(|&g| allowed(&file.groups[g], file.managers[m].star))
            })
            .collect();
        if let Some(&m) = candidates.choose(rng) {
            file.managers[m].frozen = true;
        }
    }
    let ids: std::collections::HashMap<String, usize> = mine
        .iter()
        .map(|&m| (file.managers[m].id.clone(), m))
        .collect();
    for g in file.groups.iter_mut().filter(|g| g.region == region) {
        let Some(m) = g.current_manager.as_ref().and_then(|c| ids.get(c)).copied() else {
            continue;
        };
        let mgr = &file.managers[m];
        if mgr.available && allowed(g, mgr.star) && rng.gen_bool(0.01) {
            g.pinned = true;
        }
    }
}
