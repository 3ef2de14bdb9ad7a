-- Views for the questions users ask most, created by the build over the generated tables.
-- Each view has a COMMENT ON VIEW; `eaeu-facts tables` lists it. Optional references are
-- LEFT JOINed, so a row whose reference the source leaves open is kept, with NULL names.

CREATE VIEW quotes_with_speakers AS
SELECT
  q.quote_id,
  q.text_ar,
  q.text_en,
  q.speaker_person_id,
  p.name_ar AS speaker_name_ar,
  p.name_en AS speaker_name_en,
  q.speaker_post_en,
  q.attribution_ar,
  q.meeting_id,
  m.name_ar AS meeting_name_ar,
  m.name_en AS meeting_name_en,
  m.date AS meeting_date,
  m.date_basis AS meeting_date_basis,
  q.has_nested_quotation,
  q.note_en,
  q.source_id,
  q.char_start,
  q.char_end
FROM quotes AS q
JOIN people AS p ON p.person_id = q.speaker_person_id
JOIN meetings AS m ON m.meeting_id = q.meeting_id
ORDER BY q.quote_id;

COMMENT ON VIEW quotes_with_speakers IS 'Each direct quotation in Arabic and English with its speaker''s name in both languages, the post the attribution gives, and the meeting''s name and date (NULL where the source leaves the date open; see meeting_date_basis).';

CREATE VIEW meeting_participants AS
SELECT
  m.meeting_id,
  m.meeting_type,
  m.name_ar AS meeting_name_ar,
  m.name_en AS meeting_name_en,
  m.date AS meeting_date,
  m.date_basis AS meeting_date_basis,
  pa.person_id,
  p.name_ar AS person_name_ar,
  p.name_en AS person_name_en,
  pa.country_code,
  c.name_ar AS country_name_ar,
  c.name_en AS country_name_en,
  pa.post_ar,
  pa.post_en,
  pa.participation_basis,
  pa.note_en,
  pa.source_id,
  pa.char_start,
  pa.char_end,
  pa.evidence_ar
FROM participants AS pa
JOIN meetings AS m ON m.meeting_id = pa.meeting_id
JOIN people AS p ON p.person_id = pa.person_id
JOIN countries AS c ON c.country_code = pa.country_code
ORDER BY m.meeting_id, pa.person_id;

COMMENT ON VIEW meeting_participants IS 'Who took part in which meeting: the meeting''s name and date, the person''s name, country and post there in Arabic and English, and whether the source states or implies the participation (participation_basis).';

CREATE VIEW trade_flows AS
SELECT
  t.trade_id,
  t.country_a_code,
  a.name_ar AS country_a_name_ar,
  a.name_en AS country_a_name_en,
  t.country_b_code,
  b.name_ar AS country_b_name_ar,
  b.name_en AS country_b_name_en,
  t.flow,
  t.amount,
  t.currency_code,
  t.currency_basis,
  t.amount_as_printed_ar,
  t.hedge,
  t.hedge_as_printed_ar,
  t.status,
  t.period_start,
  t.period_end,
  t.period_as_printed_ar,
  t.period_basis,
  t.stated_by_person_id,
  s.name_ar AS stated_by_name_ar,
  s.name_en AS stated_by_name_en,
  t.reported_by_organization_id,
  r.name_en AS reported_by_name_en,
  t.meeting_id,
  m.name_en AS meeting_name_en,
  t.quote_id,
  t.note_en,
  t.source_id,
  t.char_start,
  t.char_end,
  t.evidence_ar
FROM trade AS t
JOIN countries AS a ON a.country_code = t.country_a_code
JOIN countries AS b ON b.country_code = t.country_b_code
LEFT JOIN people AS s ON s.person_id = t.stated_by_person_id
LEFT JOIN organizations AS r ON r.organization_id = t.reported_by_organization_id
LEFT JOIN meetings AS m ON m.meeting_id = t.meeting_id
ORDER BY t.trade_id;

COMMENT ON VIEW trade_flows IS 'Trade figures and targets with both countries named in Arabic and English, the amount in base units of currency_code, and what qualifies it: hedge (about, more_than, ...), status (actual, target, ...) and period with its basis; plus who stated it and at which meeting.';

CREATE VIEW investment_flows AS
SELECT
  i.investment_id,
  i.investor_country_code,
  f.name_ar AS investor_country_name_ar,
  f.name_en AS investor_country_name_en,
  i.recipient_country_code,
  t.name_ar AS recipient_country_name_ar,
  t.name_en AS recipient_country_name_en,
  i.investor_as_printed_ar,
  i.investor_en,
  i.amount,
  i.currency_code,
  i.currency_basis,
  i.amount_as_printed_ar,
  i.hedge,
  i.hedge_as_printed_ar,
  i.status,
  i.period_start,
  i.period_end,
  i.period_as_printed_ar,
  i.period_basis,
  i.stated_by_person_id,
  s.name_ar AS stated_by_name_ar,
  s.name_en AS stated_by_name_en,
  i.reported_by_organization_id,
  r.name_en AS reported_by_name_en,
  i.meeting_id,
  m.name_en AS meeting_name_en,
  i.quote_id,
  i.note_en,
  i.source_id,
  i.char_start,
  i.char_end,
  i.evidence_ar
FROM investment AS i
JOIN countries AS f ON f.country_code = i.investor_country_code
JOIN countries AS t ON t.country_code = i.recipient_country_code
LEFT JOIN people AS s ON s.person_id = i.stated_by_person_id
LEFT JOIN organizations AS r ON r.organization_id = i.reported_by_organization_id
LEFT JOIN meetings AS m ON m.meeting_id = i.meeting_id
ORDER BY i.investment_id;

COMMENT ON VIEW investment_flows IS 'Investment from one country''s investors into another, both countries named in Arabic and English, with who invested as printed, the amount in base units of currency_code, hedge, status and period with its basis; plus who stated it and at which meeting.';
