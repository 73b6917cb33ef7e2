//! Stage 2, tokens → table regions and columns. A column is where values line up over
//! many rows: the horizontal extents of a column's amounts overlap (right-aligned,
//! left-aligned or centred alike), and a gap separates it from the next. Header labels
//! are not used to place columns, because they are centred, offset or wrapped over them.

/// A column found from the values in it: the union of their extents.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    pub x0: f32,
    pub x1: f32,
    /// How many values built it.
    pub count: usize,
}

impl Band {
    pub fn contains(&self, x0: f32, x1: f32, slack: f32) -> bool {
        x0 < self.x1 + slack && x1 > self.x0 - slack
    }

    pub fn centre(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
}

/// Joins overlapping extents (closer than `slack`) into bands, left to right.
pub fn bands(extents: &[(f32, f32)], slack: f32) -> Vec<Band> {
    let mut sorted: Vec<(f32, f32)> = extents
        .iter()
        .copied()
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<Band> = Vec::new();
    for (x0, x1) in sorted {
        match out.last_mut() {
            Some(band) if x0 <= band.x1 + slack => {
                band.x1 = band.x1.max(x1);
                band.count += 1;
            }
            _ => out.push(Band { x0, x1, count: 1 }),
        }
    }
    out
}

/// Groups left edges that lie within `tolerance` of each other (for date columns, whose
/// values are left-aligned and of one width): `(mean x0, count)`, most used first.
pub fn left_edges(x0s: &[f32], tolerance: f32) -> Vec<(f32, usize)> {
    let mut sorted: Vec<f32> = x0s.iter().copied().filter(|x| x.is_finite()).collect();
    sorted.sort_by(f32::total_cmp);
    let mut groups: Vec<(f32, f32, usize)> = Vec::new(); // (first, sum, count)
    for x in sorted {
        match groups.last_mut() {
            Some((first, sum, n)) if x - *first <= tolerance => {
                *sum += x;
                *n += 1;
            }
            _ => groups.push((x, x, 1)),
        }
    }
    let mut out: Vec<(f32, usize)> = groups
        .into_iter()
        .map(|(_, sum, n)| (sum / n as f32, n))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.total_cmp(&b.0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_aligned_amounts_form_one_band_each() {
        // Two right-aligned columns ending at 300 and 400, values of different widths.
        let extents = [
            (270.0, 300.0),
            (285.0, 300.0),
            (250.0, 300.0),
            (380.0, 400.0),
            (350.0, 400.0),
        ];
        let got = bands(&extents, 2.0);
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].x0, got[0].x1, got[0].count), (250.0, 300.0, 3));
        assert_eq!((got[1].x0, got[1].x1, got[1].count), (350.0, 400.0, 2));
    }

    #[test]
    fn left_and_centred_values_band_too() {
        let left = [(100.0, 130.0), (100.0, 112.0), (100.0, 140.0)];
        assert_eq!(bands(&left, 2.0).len(), 1);
        let centred = [(110.0, 130.0), (100.0, 140.0), (115.0, 125.0)];
        assert_eq!(bands(&centred, 2.0).len(), 1);
    }

    #[test]
    fn left_edges_rank_by_use() {
        let got = left_edges(&[50.0, 50.5, 49.8, 120.0, 50.1], 2.0);
        assert_eq!(got[0].1, 4);
        assert!((got[0].0 - 50.1).abs() < 0.2);
        assert_eq!(got[1], (120.0, 1));
    }

    #[test]
    fn bands_ignore_non_finite() {
        assert!(bands(&[(f32::NAN, 1.0)], 1.0).is_empty());
    }
}
