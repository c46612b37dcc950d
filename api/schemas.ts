import { z } from '@hono/zod-openapi';

// Request and response schemas: validation at the edge and the OpenAPI document, from one source.

const isoInstant = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/, 'expected an ISO 8601 date or date-time with offset')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a valid date');

export const PaginationQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: 'Page size (1–100).', example: 20 }),
  cursor: z.string().max(200).optional().openapi({ description: 'Opaque cursor from `page.nextCursor` of the previous page.' }),
});

export const StoryFilterQuery = PaginationQuery.extend({
  since: isoInstant.optional().openapi({ description: 'Only items with activity at or after this instant.', example: '2026-11-20T00:00:00Z' }),
  until: isoInstant.optional().openapi({ description: 'Only items with activity before this instant.' }),
  lang: z.string().regex(/^[a-z]{2,3}$/, 'expected a 2–3 letter language code').optional().openapi({ example: 'es' }),
  source: z.coerce.number().int().positive().optional().openapi({ description: 'Source id: only items carried by it.' }),
});

export const pressEnum = z.enum(['us', 'mx']);

export const TopicStoriesQuery = StoryFilterQuery.extend({
  press: pressEnum.optional().openapi({ description: 'Only stories with coverage from this press (`us`, `mx`: outlets whose country of publication is US, MX).' }),
});

export const BlindspotsQuery = StoryFilterQuery.extend({
  side: pressEnum.openapi({
    description: 'The press whose blind spots to list: `us` = stories the US press did NOT cover (covered by at least 2 MX outlets, no US outlet); `mx` likewise.',
    example: 'us',
  }),
});

export const relevanceEnum = z.enum(['on_beat', 'adjacent', 'off_beat']);

export const ArticleFilterQuery = StoryFilterQuery.extend({
  topic: z.string().regex(/^[a-z0-9-]{1,64}$/).optional().openapi({ description: 'Topic slug.', example: 'border-security' }),
  relevance: relevanceEnum.optional(),
});

export const SearchQuery = ArticleFilterQuery.extend({
  q: z.string().trim().min(1).max(200).regex(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/, 'must not contain control characters').openapi({ description: 'Web-search syntax: words, "phrases", OR, -exclusion. English and Spanish, accents optional.', example: '"exact phrase" OR word -excluded' }),
});

export const IdParam = z.object({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).openapi({ param: { name: 'id', in: 'path' }, example: 42 }),
});

export const SlugParam = z.object({
  slug: z.string().regex(/^[a-z0-9-]{1,64}$/).openapi({ param: { name: 'slug', in: 'path' }, example: 'all' }),
});

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), parameter: z.string().optional() }) })
  .openapi('Error');

const SourceRef = z.object({ id: z.number().int(), name: z.string().nullable() }).openapi('SourceRef');

export const ArticleRefSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    url: z.string().nullable(),
    source: SourceRef.nullable(),
    lang: z.string().nullable(),
    publishedAt: z.string(),
    duplicateOf: z.number().int().nullable(),
  })
  .openapi('ArticleRef');

const storyFields = {
  id: z.number().int(),
  headline: z.string(),
  url: z.string().nullable().openapi({ description: "The first report's link." }),
  firstReport: z.object({ articleId: z.number().int().nullable(), source: SourceRef.nullable(), publishedAt: z.string() }),
  lastPublishedAt: z.string(),
  firstSeenAt: z.string(),
  lastUpdatedAt: z.string().openapi({ description: 'Last activity: when coverage was last added or the story re-derived.' }),
  eventAt: z.string().openapi({
    description: 'When the event was first reported: the earliest publication date of its articles, never later than firstSeenAt. Story lists are ordered by it.',
  }),
  articleCount: z.number().int(),
  outletCount: z.number().int(),
  languageCount: z.number().int(),
  languages: z.record(z.string(), z.number()),
  topics: z.array(z.string()),
  relevance: relevanceEnum.nullable(),
  links: z.object({ self: z.string() }),
};

export const StorySummarySchema = z.object(storyFields).openapi('StorySummary');

const PressSideSchema = z
  .object({
    outlets: z.number().int(),
    articles: z.number().int(),
    firstArticleId: z.number().int().nullable(),
    firstAt: z.string().openapi({ description: "This press's first report (its earliest article's publication date, never later than first seen)." }),
    terms: z
      .array(
        z.object({
          term: z.string().openapi({ description: "This side's most used surface form" }),
          key: z.string().openapi({ description: 'What was counted: a bilingual concept (`c:strike` = strikes, ataques, …) or a light stem (`s:sober`)' }),
          score: z.number().openapi({ description: 'Log-odds z-score against the other press (informative prior: the story\'s pooled frequency)' }),
          articles: z.number().int(),
          otherArticles: z.number().int(),
        }),
      )
      .openapi({ description: "Distinctive terms: frequent in this press's articles of the story and rare in the other's, best first (at most 8). When the other press has no article, this side's most used terms." }),
    names: z
      .array(z.object({ id: z.string(), name: z.string(), kind: z.string(), articles: z.number().int(), otherArticles: z.number().int() }))
      .openapi({ description: 'People and organisations this press names (articles naming each; the other press\'s count), most named first (at most 10).' }),
  })
  .openapi('PressSide');

export const PressSchema = z
  .object({
    us: PressSideSchema.nullable().openapi({ description: 'Outlets whose country of publication is US (null: no US coverage)' }),
    mx: PressSideSchema.nullable().openapi({ description: 'Outlets whose country of publication is MX' }),
    other: PressSideSchema.nullable().openapi({ description: 'Outlets of every other known country, together' }),
    firstSide: z.enum(['us', 'mx']).nullable().openapi({ description: 'Which press reported first (null: neither covered it)' }),
    lagMs: z.number().int().nullable().openapi({ description: 'How long the other press took, in ms (null unless both covered it)' }),
  })
  .openapi('Press', { description: 'The two presses: per side outlets, articles, first report, distinctive terms and names; stored when the story changes.' });

export const StorySchema = z
  .object({ ...storyFields, articles: z.array(ArticleRefSchema), press: PressSchema })
  .openapi('Story', { description: 'A story (event) with its related coverage; `articles` is capped at 20 in lists.' });

export const RelatedStorySchema = z
  .object({
    ...storyFields,
    reason: z.enum(['storyline']).openapi({
      description:
        "'storyline': a stored link, listed on both stories: placement found coverage within three weeks that scores as related without being the same event; `shared` lists the entities and names in common.",
    }),
    shared: z.array(z.string()).openapi({ description: 'The entity ids the two stories share.' }),
  })
  .openapi('RelatedStory');

export const StoryDetailSchema = z
  .object({
    ...storyFields,
    articles: z.array(ArticleRefSchema),
    press: PressSchema,
    mergedFrom: z.array(z.number().int()).openapi({ description: 'Story ids merged into this one; their URLs redirect (301) here.' }),
    related: z.array(RelatedStorySchema),
    roundups: z.array(ArticleRefSchema).openapi({
      description:
        'Roundups that mention this story (a week in review, another outlet\'s newsletter): related coverage naming several events, not members of the story, oldest first.',
    }),
  })
  .openapi('StoryDetail');

const Entity = z.object({ id: z.string(), kind: z.string(), name: z.string(), matched: z.string() });
const Evidence = z.object({ rule: z.string(), matched: z.string(), field: z.string(), weight: z.number() });

export const ArticleSchema = z
  .object({
    id: z.number().int(),
    url: z.string().nullable(),
    canonicalUrl: z.string().nullable(),
    title: z.string(),
    summary: z.string(),
    summaryHtml: z.string(),
    source: SourceRef.nullable().openapi({ description: 'The source that first delivered it.' }),
    sources: z.array(z.object({ id: z.number().int(), name: z.string().nullable(), firstSeenAt: z.string() })),
    language: z.string().nullable(),
    publishedAt: z.string(),
    firstSeenAt: z.string(),
    relevance: relevanceEnum.nullable(),
    score: z.number().nullable(),
    topics: z.array(z.string()),
    entities: z.array(Entity),
    evidence: z.array(Evidence).openapi({ description: '"Matched because": the rules that fired.' }),
    storyId: z.number().int().nullable(),
    duplicateOf: z.number().int().nullable(),
    links: z.object({ self: z.string(), story: z.string().nullable() }),
  })
  .openapi('Article');

export const SearchHitSchema = z
  .object({
    rank: z.number().openapi({
      description: 'Ordering score, log scale: ln(textRank) plus ln 2 per week of recency; higher first. Compare within one query only.',
    }),
    textRank: z.number().openapi({ description: 'Text relevance alone (ts_rank_cd: title above summary).' }),
    titleHtml: z.string().openapi({ description: 'HTML-escaped title; the only markup is <mark> around matches.' }),
    snippetHtml: z.string().openapi({ description: 'HTML-escaped summary excerpt; the only markup is <mark>.' }),
    article: ArticleSchema,
  })
  .openapi('SearchHit');

export const PageInfo = z
  .object({ limit: z.number().int(), nextCursor: z.string().nullable(), next: z.string().nullable() })
  .openapi('PageInfo');

export const TopicSchema = z
  .object({
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    storyCount: z.number().int(),
    lastUpdatedAt: z.string().nullable(),
    links: z.object({ stories: z.string(), rss: z.string(), atom: z.string(), json: z.string() }),
  })
  .openapi('Topic');

export const ItemFilterSchema = z
  .object({
    linkIncludes: z.array(z.string().min(1).max(200)).max(50).optional().openapi({ description: 'Keep an item only if its link contains one of these (case-insensitive substrings)' }),
    linkExcludes: z.array(z.string().min(1).max(200)).max(50).optional().openapi({ description: 'Drop an item whose link contains one of these' }),
    categoriesAny: z.array(z.string().min(1).max(200)).max(50).optional().openapi({ description: 'Keep an item only if one of its categories is one of these' }),
  })
  .strict()
  .openapi('ItemFilter', { description: 'Applied to a feed\'s items before they are classified or stored; substrings, never regular expressions.' });

export const SourceSchema = z
  .object({
    id: z.number().int(),
    url: z.string(),
    name: z.string().nullable(),
    lang: z.string().nullable(),
    siteUrl: z.string().nullable(),
    status: z.enum(['active', 'paused', 'retired']),
    lastFetchedAt: z.string().nullable(),
    lastSuccessAt: z.string().nullable(),
    lastStatus: z.number().int().nullable(),
    lastErrorCode: z.string().nullable(),
    lastErrorMessage: z.string().nullable(),
    errorCount: z.number().int(),
    fetchCount: z.number().int(),
    notModifiedCount: z.number().int(),
    notModifiedShare: z.number().nullable().openapi({ description: 'Share of fetches answered 304 (notModifiedCount / fetchCount).' }),
    itemsStored: z.number().int(),
    itemFilter: ItemFilterSchema.nullable(),
    itemsFilteredLast: z.number().int().openapi({ description: 'Items the last successful fetch dropped by the item filter' }),
    outlet: z.string().nullable().openapi({ description: 'The outlet this source belongs to (explicit name, else its domain)' }),
    outletDomain: z.string().nullable().openapi({ description: 'Registrable domain of the feed (a Google News site: search: that site\'s)' }),
    nextCheckAt: z.string(),
    createdAt: z.string(),
    country: z.string().nullable().openapi({ description: 'ISO 3166-1 alpha-2 code of the outlet\'s country (US, MX, …)' }),
    countryInferred: z.boolean().openapi({ description: 'The country was not given but inferred from the feed\'s domain (ccTLD or the table of well-known outlets)' }),
    standIn: z.boolean().openapi({ description: 'A Google News search standing for an outlet without a working feed' }),
    note: z.string().nullable().openapi({ description: 'How the entry was chosen and checked (default list)' }),
    lastVerified: z
      .object({
        at: z.string(),
        status: z.enum(['ok', 'failed', 'html', 'empty']),
        httpStatus: z.number().int().nullable(),
        contentType: z.string().nullable(),
        items: z.number().int().nullable(),
        newestItemAgeHours: z.number().nullable().openapi({ description: 'Age of the newest dated item at the check' }),
        durationMs: z.number().int(),
        errorCode: z.string().nullable(),
        message: z.string().nullable(),
        suggestions: z.array(z.string()).openapi({ description: 'Feed URLs an HTML page advertises' }),
      })
      .nullable()
      .openapi('SourceVerification', { description: 'The last `sources check` / check-sources probe (null: never verified)' }),
    staleSince: z.string().nullable().openapi({ description: 'Since when the newest item has been older than STALE_AFTER_DAYS (null: fresh or unknown)' }),
  })
  .openapi('Source');

export const NewSourceBody = z.object({
  url: z.string().min(1).max(2048),
  name: z.string().max(300).optional(),
  lang: z.string().max(35).optional(),
  itemFilter: ItemFilterSchema.nullable().optional(),
  outlet: z.string().max(200).nullable().optional(),
  country: z.string().regex(/^[A-Za-z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code').optional().openapi({ description: 'Country of publication (ISO 3166-1 alpha-2); default: inferred from the feed\'s domain', example: 'MX' }),
});

export const PatchSourceBody = z
  .object({
    url: z.string().min(1).max(2048).optional(),
    name: z.string().max(300).nullable().optional(),
    lang: z.string().max(35).nullable().optional(),
    status: z.enum(['active', 'paused', 'retired']).optional(),
    itemFilter: ItemFilterSchema.nullable().optional().openapi({ description: 'null clears it' }),
    outlet: z.string().max(200).nullable().optional().openapi({ description: 'Explicit outlet name; null or empty: the feed\'s domain' }),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code')
      .nullable()
      .optional()
      .openapi({ description: 'Country of publication; null: inferred again from the feed\'s domain' }),
  })
  .refine((b) => Object.keys(b).length > 0, 'at least one of url, name, lang, status');

export const LabelBody = z
  .object({
    relevance: z
      .enum(['on_beat', 'adjacent', 'off_beat', 'on', 'off'])
      .openapi({ description: 'The editor\'s decision; `on` and `off` are shorthands of `on_beat` and `off_beat`.', example: 'on_beat' }),
    topics: z
      .array(z.string().regex(/^[a-z0-9-]{1,64}$/, 'expected a topic slug'))
      .max(20)
      .optional()
      .openapi({
        description:
          'Topic slugs (on-beat only). Default for on-beat: the classifier\'s topics for the article, else its story\'s; 400 when there are none.',
        example: ['fentanyl-trafficking'],
      }),
    note: z.string().max(2000).optional().openapi({ description: 'Why (exported as the label\'s `reason`).' }),
    by: z.string().min(1).max(100).optional().openapi({ description: 'Who corrected (default `api`).' }),
  })
  .openapi('LabelBody');

export const CorrectionSchema = z
  .object({
    articleId: z.number().int(),
    key: z.string().openapi({ description: 'Stable key in exports: `article:<canonical URL>` (or `article:<dedup key>` without a URL).' }),
    relevance: relevanceEnum,
    topics: z.array(z.string()),
    note: z.string().nullable(),
    correctedBy: z.string().nullable(),
    correctedAt: z.string(),
    title: z.string(),
    url: z.string().nullable(),
    storyId: z.number().int().nullable(),
    links: z.object({ article: z.string(), story: z.string().nullable() }),
  })
  .openapi('Correction');

export const listOf = <T extends z.ZodTypeAny>(item: T, name: string) =>
  z.object({ data: z.array(item), page: PageInfo }).openapi(name);

export const errorResponses = {
  400: { description: 'Invalid parameter', content: { 'application/json': { schema: ErrorSchema } } },
  429: { description: 'Rate limited (see Retry-After)', content: { 'application/json': { schema: ErrorSchema } } },
} as const;

export const notFoundResponse = {
  404: { description: 'Not found', content: { 'application/json': { schema: ErrorSchema } } },
} as const;

export const adminResponses = {
  401: { description: 'Missing or wrong bearer token', content: { 'application/json': { schema: ErrorSchema } } },
  403: { description: 'Admin disabled (no ADMIN_TOKEN configured)', content: { 'application/json': { schema: ErrorSchema } } },
} as const;
