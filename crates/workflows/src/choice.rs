//! The management-model choice: weighted totals, the choice and its strategy, and how far each input must move to change it.

use starplan_format::choice::*;
use starplan_format::output::round6;

fn totals(c: &CriteriaFile) -> Vec<(Model, f64)> {
    let wsum: f64 = c.variables.iter().map(|v| v.weight).sum();
    Model::ALL
        .iter()
        .map(|&m| {
            (
                m,
                c.variables
                    .iter()
                    .map(|v| v.weight * v.scores.of(m))
                    .sum::<f64>()
                    / wsum,
            )
        })
        .collect()
}

pub fn choose(c: &CriteriaFile) -> ChoiceFile {
    let mut ranked = totals(c);
    // Best first; a tie goes to the earlier model in the article's order.
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let top = ranked[0].0;
    // Unnormalised lead of the top model over each rival: Σ w (s_top − s_rival).
    let lead = |rival: Model| {
        c.variables
            .iter()
            .map(|v| v.weight * (v.scores.of(top) - v.scores.of(rival)))
            .sum::<f64>()
    };
    let rivals: Vec<Model> = Model::ALL.iter().copied().filter(|&m| m != top).collect();
    let sensitivity = c
        .variables
        .iter()
        .map(|v| {
            let mut weight_tie: Option<Tie> = None;
            let mut score_tie: Option<ScoreTie> = None;
            for &r in &rivals {
                let (lead, diff) = (lead(r), v.scores.of(top) - v.scores.of(r));
                // Moving this weight by δ moves the lead by δ·diff; it ties at δ = −lead / diff.
                if diff != 0.0 {
                    let to = v.weight - lead / diff;
                    if to >= 0.0
                        && weight_tie
                            .as_ref()
                            .is_none_or(|t| (to - v.weight).abs() < t.change.abs())
                    {
                        weight_tie = Some(Tie {
                            to: round6(to),
                            change: round6(to - v.weight),
                            rival: r,
                        });
                    }
                }
                if v.weight > 0.0 {
                    // Lowering the top model's score, or raising the rival's, by lead / weight ties.
                    let step = lead / v.weight;
                    let options = [(top, v.scores.of(top) - step), (r, v.scores.of(r) + step)];
                    for (model, to) in options {
                        let from = v.scores.of(model);
                        if (0.0..=10.0).contains(&to)
                            && score_tie
                                .as_ref()
                                .is_none_or(|t| (to - from).abs() < (t.to - t.from).abs())
                        {
                            score_tie = Some(ScoreTie {
                                model,
                                from,
                                to: round6(to),
                                rival: r,
                            });
                        }
                    }
                }
            }
            Sensitivity {
                variable: v.id.clone(),
                weight: v.weight,
                weight_tie,
                score_tie,
            }
        })
        .collect();
    ChoiceFile {
        schema_version: starplan_format::SCHEMA_VERSION,
        totals: ranked
            .iter()
            .enumerate()
            .map(|(i, &(model, total))| Total {
                model,
                total: round6(total),
                rank: i + 1,
            })
            .collect(),
        choice: top,
        strategy: top.strategy().into(),
        margin: round6(ranked[0].1 - ranked[1].1),
        sensitivity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criteria(vars: &[(f64, [f64; 3])]) -> CriteriaFile {
        CriteriaFile {
            schema_version: 1,
            note: None,
            variables: vars
                .iter()
                .enumerate()
                .map(|(i, &(weight, s))| Variable {
                    id: format!("v{i}"),
                    name: None,
                    weight,
                    scores: Scores {
                        supporting: s[0],
                        parallel: s[1],
                        vertical: s[2],
                    },
                })
                .collect(),
        }
    }

    #[test]
    fn totals_choice_and_strategy() {
        let c = criteria(&[(0.5, [2.0, 8.0, 4.0]), (0.5, [6.0, 4.0, 4.0])]);
        let out = choose(&c);
        assert_eq!(out.choice, Model::Parallel);
        assert_eq!(out.totals[0].total, 6.0);
        assert_eq!(out.margin, 2.0);
        assert_eq!(out.strategy, "leapfrog (跨越领先)");
    }

    #[test]
    fn the_tie_points_really_tie() {
        let c = criteria(&[(0.5, [2.0, 8.0, 4.0]), (0.5, [6.0, 4.0, 4.0])]);
        let out = choose(&c);
        // v1 favours supporting: raising its weight from 0.5 to 1.5 ties supporting and parallel.
        let t = out.sensitivity[1].weight_tie.as_ref().unwrap();
        assert_eq!((t.to, t.rival), (1.5, Model::Supporting));
        let mut moved = c.clone();
        moved.variables[1].weight = t.to;
        let tot = totals(&moved);
        assert!((tot[0].1 - tot[1].1).abs() < 1e-9);
        let s = out.sensitivity[0].score_tie.as_ref().unwrap();
        let mut moved = c.clone();
        let v = &mut moved.variables[0].scores;
        match s.model {
            Model::Supporting => v.supporting = s.to,
            Model::Parallel => v.parallel = s.to,
            Model::Vertical => v.vertical = s.to,
        }
        let tot = totals(&moved);
        let (a, b) = (
            tot.iter().find(|t| t.0 == Model::Parallel).unwrap().1,
            tot.iter().find(|t| t.0 == s.rival).unwrap().1,
        );
        assert!((a - b).abs() < 1e-9, "{s:?}");
    }
}
