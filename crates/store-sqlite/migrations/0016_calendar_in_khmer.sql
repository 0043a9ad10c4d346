-- The reporting calendar in Khmer too (issue 16): each date may carry its
-- title, cycle and notes in Khmer; pages and feeds show them to Khmer
-- readers and fall back to English where they are empty. The dates this
-- migration seeded in 0007 get their Khmer text here (numbers in ASCII
-- digits: pages write them in Khmer digits for those who chose them).
ALTER TABLE reporting_events ADD COLUMN title_km TEXT NOT NULL DEFAULT '';
ALTER TABLE reporting_events ADD COLUMN cycle_km TEXT NOT NULL DEFAULT '';
ALTER TABLE reporting_events ADD COLUMN notes_km TEXT NOT NULL DEFAULT '';

UPDATE reporting_events SET cycle_km = 'UPR វដ្តទីមួយ' WHERE created_by IS NULL AND cycle = 'UPR, first cycle';
UPDATE reporting_events SET cycle_km = 'UPR វដ្តទីពីរ' WHERE created_by IS NULL AND cycle = 'UPR, second cycle';
UPDATE reporting_events SET cycle_km = 'UPR វដ្តទីបី' WHERE created_by IS NULL AND cycle = 'UPR, third cycle';
UPDATE reporting_events SET cycle_km = 'UPR វដ្តទីបួន' WHERE created_by IS NULL AND cycle = 'UPR, fourth cycle';

UPDATE reporting_events SET title_km = 'ការត្រួតពិនិត្យលើកទីមួយរបស់កម្ពុជា (សម័យប្រជុំក្រុមការងារលើកទី 6)',
    notes_km = 'សម័យប្រជុំលើកទី 6 ពីថ្ងៃទី 30 ខែវិច្ឆិកា ដល់ថ្ងៃទី 11 ខែធ្នូ ឆ្នាំ 2009។'
    WHERE created_by IS NULL AND kind = 'upr_review' AND cycle = 'UPR, first cycle';
UPDATE reporting_events SET title_km = 'ការត្រួតពិនិត្យលើកទីពីររបស់កម្ពុជា (សម័យប្រជុំក្រុមការងារលើកទី 18)',
    notes_km = 'អនុសាសន៍ 205៖ ទទួលយក 163 និងកត់សម្គាល់ 42។'
    WHERE created_by IS NULL AND kind = 'upr_review' AND cycle = 'UPR, second cycle';
UPDATE reporting_events SET title_km = 'ការត្រួតពិនិត្យលើកទីបីរបស់កម្ពុជា (សម័យប្រជុំក្រុមការងារលើកទី 32)',
    notes_km = 'អនុសាសន៍ 198។'
    WHERE created_by IS NULL AND kind = 'upr_review' AND cycle = 'UPR, third cycle';
UPDATE reporting_events SET title_km = 'ការត្រួតពិនិត្យលើកទីបួនរបស់កម្ពុជា (សម័យប្រជុំក្រុមការងារលើកទី 46)',
    notes_km = 'សម័យប្រជុំលើកទី 46 ពីថ្ងៃទី 29 ខែមេសា ដល់ថ្ងៃទី 10 ខែឧសភា ឆ្នាំ 2024។ កាលបរិច្ឆេទនេះជាថ្ងៃបើកសម័យប្រជុំ។'
    WHERE created_by IS NULL AND kind = 'upr_review' AND cycle = 'UPR, fourth cycle';
UPDATE reporting_events SET notes_km = 'កាលបរិច្ឆេទនេះត្រូវបានគណនា៖ ប្រហែលពីរឆ្នាំកន្លះក្រោយការត្រួតពិនិត្យ។'
    WHERE created_by IS NULL AND kind = 'mid_term_report';
UPDATE reporting_events SET title_km = 'របាយការណ៍ពាក់កណ្តាលអាណត្តិលើវដ្តទីមួយ (ត្រូវបានលើកទឹកចិត្ត)' WHERE created_by IS NULL AND kind = 'mid_term_report' AND cycle = 'UPR, first cycle';
UPDATE reporting_events SET title_km = 'របាយការណ៍ពាក់កណ្តាលអាណត្តិលើវដ្តទីពីរ (ត្រូវបានលើកទឹកចិត្ត)' WHERE created_by IS NULL AND kind = 'mid_term_report' AND cycle = 'UPR, second cycle';
UPDATE reporting_events SET title_km = 'របាយការណ៍ពាក់កណ្តាលអាណត្តិលើវដ្តទីបី (ត្រូវបានលើកទឹកចិត្ត)' WHERE created_by IS NULL AND kind = 'mid_term_report' AND cycle = 'UPR, third cycle';
UPDATE reporting_events SET title_km = 'របាយការណ៍ពាក់កណ្តាលអាណត្តិលើវដ្តទីបួន (ត្រូវបានលើកទឹកចិត្ត)' WHERE created_by IS NULL AND kind = 'mid_term_report' AND cycle = 'UPR, fourth cycle';
