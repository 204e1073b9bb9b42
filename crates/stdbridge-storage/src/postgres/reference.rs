//! Reference data on PostgreSQL: ICS, CCS, countries, bodies.

use sqlx::{Postgres, QueryBuilder};
use stdbridge_core::reference::{Body, CcsCode, Country, IcsCode};

use async_trait::async_trait;

use super::PgStore;
use crate::StorageError;
use crate::reference::ReferenceRepository;

#[async_trait]
impl ReferenceRepository for PgStore {
    /// Inserts or replaces ICS codes; returns how many rows changed.
    async fn upsert_ics(&self, codes: &[IcsCode]) -> Result<u64, StorageError> {
        let mut changed = 0;
        let mut tx = self.pool.begin().await?;
        for chunk in codes.chunks(5_000) {
            let mut query =
                QueryBuilder::<Postgres>::new("INSERT INTO ics (code, parent, level, titles) ");
            query.push_values(chunk, |mut row, code| {
                row.push_bind(&code.code)
                    .push_bind(&code.parent)
                    .push_bind(i64::try_from(IcsCode::level(&code.code)).unwrap_or(0))
                    .push_bind(serde_json::to_string(&code.titles).unwrap_or_default());
            });
            query.push(
                " ON CONFLICT (code) DO UPDATE SET parent = excluded.parent, level = excluded.level, titles = excluded.titles \
                 WHERE ics.parent IS DISTINCT FROM excluded.parent OR ics.titles IS DISTINCT FROM excluded.titles",
            );
            changed += query.build().execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// Inserts or replaces CCS codes; returns how many rows changed.
    async fn upsert_ccs(&self, codes: &[CcsCode]) -> Result<u64, StorageError> {
        let mut changed = 0;
        let mut tx = self.pool.begin().await?;
        for chunk in codes.chunks(5_000) {
            let mut query = QueryBuilder::<Postgres>::new(
                "INSERT INTO ccs (code, level, parent, name_zh, name_en) ",
            );
            query.push_values(chunk, |mut row, code| {
                row.push_bind(&code.code)
                    .push_bind(i64::from(code.level))
                    .push_bind(&code.parent)
                    .push_bind(&code.name_zh)
                    .push_bind(&code.name_en);
            });
            query.push(
                " ON CONFLICT (code) DO UPDATE SET level = excluded.level, parent = excluded.parent, \
                 name_zh = excluded.name_zh, name_en = excluded.name_en \
                 WHERE ccs.parent IS DISTINCT FROM excluded.parent OR ccs.name_zh IS DISTINCT FROM excluded.name_zh \
                 OR ccs.name_en IS DISTINCT FROM excluded.name_en",
            );
            changed += query.build().execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// Inserts or replaces countries; returns how many rows changed.
    async fn upsert_countries(&self, countries: &[Country]) -> Result<u64, StorageError> {
        let mut changed = 0;
        let mut tx = self.pool.begin().await?;
        for chunk in countries.chunks(2_000) {
            let mut query = QueryBuilder::<Postgres>::new(
                "INSERT INTO countries (alpha2, alpha3, numeric, region, sub_region, names) ",
            );
            query.push_values(chunk, |mut row, country| {
                row.push_bind(&country.alpha2)
                    .push_bind(&country.alpha3)
                    .push_bind(&country.numeric)
                    .push_bind(&country.region)
                    .push_bind(&country.sub_region)
                    .push_bind(serde_json::to_string(&country.names).unwrap_or_default());
            });
            query.push(
                " ON CONFLICT (alpha2) DO UPDATE SET alpha3 = excluded.alpha3, numeric = excluded.numeric, \
                 region = excluded.region, sub_region = excluded.sub_region, names = excluded.names \
                 WHERE countries.alpha3 IS DISTINCT FROM excluded.alpha3 OR countries.region IS DISTINCT FROM excluded.region \
                 OR countries.sub_region IS DISTINCT FROM excluded.sub_region OR countries.names IS DISTINCT FROM excluded.names",
            );
            changed += query.build().execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// Inserts or replaces standards bodies; returns how many rows changed.
    async fn upsert_bodies(&self, bodies: &[Body]) -> Result<u64, StorageError> {
        let mut changed = 0;
        let mut tx = self.pool.begin().await?;
        for chunk in bodies.chunks(2_000) {
            let mut query = QueryBuilder::<Postgres>::new(
                "INSERT INTO bodies (abbreviation, country, scope, url, names) ",
            );
            query.push_values(chunk, |mut row, body| {
                row.push_bind(&body.abbreviation)
                    .push_bind(&body.country)
                    .push_bind(body.scope.map(|s| format!("{s:?}").to_lowercase()))
                    .push_bind(&body.url)
                    .push_bind(serde_json::to_string(&body.names).unwrap_or_default());
            });
            query.push(
                " ON CONFLICT (abbreviation) DO UPDATE SET country = excluded.country, scope = excluded.scope, \
                 url = excluded.url, names = excluded.names \
                 WHERE bodies.country IS DISTINCT FROM excluded.country OR bodies.scope IS DISTINCT FROM excluded.scope \
                 OR bodies.url IS DISTINCT FROM excluded.url OR bodies.names IS DISTINCT FROM excluded.names",
            );
            changed += query.build().execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// The ICS code's titles by language, if the code is known.
    async fn ics_titles(
        &self,
        code: &str,
    ) -> Result<Option<std::collections::BTreeMap<String, String>>, StorageError> {
        let json: Option<String> = sqlx::query_scalar("SELECT titles FROM ics WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        Ok(json.and_then(|json| serde_json::from_str(&json).ok()))
    }

    /// The CCS code's Chinese and English names, if the code is known.
    async fn ccs_names(&self, code: &str) -> Result<Option<(String, String)>, StorageError> {
        Ok(
            sqlx::query_as("SELECT name_zh, name_en FROM ccs WHERE code = $1")
                .bind(code)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Every ICS code, in code order.
    async fn all_ics(&self) -> Result<Vec<IcsCode>, StorageError> {
        let rows: Vec<(String, Option<String>, String)> =
            sqlx::query_as("SELECT code, parent, titles FROM ics ORDER BY code")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(|(code, parent, titles)| IcsCode {
                code,
                parent,
                titles: serde_json::from_str(&titles).unwrap_or_default(),
            })
            .collect())
    }

    /// Every country, in alpha-2 order.
    async fn all_countries(&self) -> Result<Vec<Country>, StorageError> {
        let rows: Vec<CountryRow> = sqlx::query_as(
            "SELECT alpha2, alpha3, numeric, region, sub_region, names FROM countries ORDER BY alpha2",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(country_from_row).collect())
    }

    /// The country with this alpha-2 code (any case), if known.
    async fn country(&self, alpha2: &str) -> Result<Option<Country>, StorageError> {
        let row: Option<CountryRow> = sqlx::query_as(
            "SELECT alpha2, alpha3, numeric, region, sub_region, names FROM countries WHERE alpha2 = $1",
        )
        .bind(alpha2.to_ascii_uppercase())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(country_from_row))
    }

    /// Every standards body, in order of abbreviation.
    async fn all_bodies(&self) -> Result<Vec<Body>, StorageError> {
        let rows: Vec<BodyRow> = sqlx::query_as(
            "SELECT abbreviation, country, scope, url, names FROM bodies ORDER BY abbreviation",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(abbreviation, country, scope, url, names)| Body {
                abbreviation,
                country,
                scope: scope
                    .and_then(|s| serde_json::from_value(serde_json::Value::String(s)).ok()),
                url,
                names: serde_json::from_str(&names).unwrap_or_default(),
            })
            .collect())
    }
}

/// abbreviation, country, scope, url, names (JSON).
type BodyRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

/// alpha2, alpha3, numeric, region, sub_region, names (JSON).
type CountryRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
);

fn country_from_row(row: CountryRow) -> Country {
    let (alpha2, alpha3, numeric, region, sub_region, names) = row;
    Country {
        alpha2,
        alpha3,
        numeric,
        names: serde_json::from_str(&names).unwrap_or_default(),
        region,
        sub_region,
    }
}
