import { useMemo } from 'react';
import { Button } from '@zendeskgarden/react-buttons';
import { Field, Input } from '@zendeskgarden/react-forms';
import { Dots } from '@zendeskgarden/react-loaders';
import { Tag } from '@zendeskgarden/react-tags';
import { AlertIcon, CheckIcon } from '../../components/icons';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { useStore } from '../../store/useStore';
import { ReadTextIcon } from '../annotations/icons';
import { LOW_CONFIDENCE, PlatePhase, PlateProblem, type ConsoleNameplate, type PlateField } from './consoleNameplate';
import { PLATE_FIELDS, type PlateFieldKey } from './contract';
import {
  Actions,
  Card,
  Codes,
  CropBox,
  CropImage,
  FieldGrid,
  Footer,
  FullText,
  Header,
  Main,
  Problem,
  Saved,
  Status,
  Title,
} from './NameplatePanel.styles';

/** The protocol's longest value of one field (a model name or serial, never a paragraph). */
const MAX_VALUE = 120;

const FIELD_LABEL: Record<PlateFieldKey, MessageKey> = {
  model: 'nameplate.field.model',
  serial: 'nameplate.field.serial',
  date: 'nameplate.field.date',
};

const PROBLEM_TEXT: Record<PlateProblem, MessageKey> = {
  engine: 'nameplate.problem.engine',
  nothing: 'nameplate.problem.nothing',
  save: 'nameplate.problem.save',
};

/** Barcode formats as people name them; anything else as the engine names it. */
const FORMAT_NAME: Record<string, string> = { QRCode: 'QR', DataMatrix: 'Data Matrix', MicroQRCode: 'Micro QR' };

/**
 * Read text's panel under the tool bar: the boxed crop, then the fields read from it with how sure
 * the engine is, for the specialist to check, correct and add to the ticket.
 */
export function NameplatePanel({ nameplate }: { nameplate: ConsoleNameplate }) {
  const { t, locale } = useI18n();
  const s = useStore(nameplate.state);
  const percent = useMemo(() => new Intl.NumberFormat(locale, { style: 'percent' }), [locale]);
  if (s.phase === PlatePhase.off || s.phase === PlatePhase.selecting) return null;

  const busy = s.phase === PlatePhase.reading || s.phase === PlatePhase.saving;
  const showFields = s.phase === PlatePhase.review || s.phase === PlatePhase.saving;
  // After a failed or empty reading every field is empty anyway: no "not found" under each.
  const wasRead = s.problem !== PlateProblem.engine && s.problem !== PlateProblem.nothing;
  const confidenceOf = (f: PlateField): { text: string | null; low: boolean } => {
    if (f.edited) return { text: t('nameplate.edited'), low: false };
    if (f.confidence === null) return { text: wasRead ? t('nameplate.notFound') : null, low: false };
    const low = f.confidence < LOW_CONFIDENCE;
    return { text: t(low ? 'nameplate.lowConfidence' : 'nameplate.confidence', { percent: percent.format(f.confidence) }), low };
  };

  return (
    <Card aria-label={t('nameplate.title')} data-testid="nameplate-panel" data-phase={s.phase}>
      <CropBox>
        {s.cropUrl ? <CropImage src={s.cropUrl} alt={t('nameplate.cropAlt')} data-testid="nameplate-crop" /> : <Dots size="20" />}
      </CropBox>
      <Main>
        <Header>
          <Title tag="h3" isBold>
            <ReadTextIcon aria-hidden="true" />
            {t('nameplate.title')}
          </Title>
          <Status role="status" aria-live="polite" data-testid="nameplate-status">
            {s.phase === PlatePhase.reading || s.phase === PlatePhase.saving ? (
              <>
                <Dots size="16" aria-hidden="true" />
                {t(s.phase === PlatePhase.reading ? 'nameplate.reading' : 'nameplate.saving')}
                {s.loadingEngine ? <span data-testid="nameplate-first-load">{t('nameplate.firstLoad')}</span> : null}
              </>
            ) : null}
            {s.phase === PlatePhase.boxed ? t('nameplate.boxedHint') : null}
            {s.phase === PlatePhase.saved ? (
              <Saved data-testid="nameplate-saved">
                <CheckIcon aria-hidden="true" />
                <strong>{t('nameplate.saved')}</strong>
                <span>
                  {PLATE_FIELDS.flatMap((key) => (s.saved?.[key] ? [`${t(FIELD_LABEL[key])}: ${s.saved[key]}`] : [])).join(' · ')}
                </span>
              </Saved>
            ) : null}
          </Status>
          {s.problem ? (
            <Problem role="alert" $error={s.problem === PlateProblem.save} data-testid="nameplate-problem">
              <AlertIcon aria-hidden="true" />
              {t(PROBLEM_TEXT[s.problem])}
            </Problem>
          ) : null}
        </Header>

        {showFields ? (
          <FieldGrid>
            {PLATE_FIELDS.map((key) => {
              const f = s.fields[key];
              const c = confidenceOf(f);
              return (
                <Field key={key}>
                  <Field.Label>{t(FIELD_LABEL[key])}</Field.Label>
                  <Input
                    isCompact
                    value={f.value}
                    readOnly={s.phase === PlatePhase.saving}
                    validation={c.low ? 'warning' : undefined}
                    onChange={(e) => nameplate.setField(key, e.target.value)}
                    data-testid={`nameplate-${key}`}
                    data-confidence={f.confidence ?? undefined}
                    spellCheck={false}
                    autoComplete="off"
                    maxLength={MAX_VALUE}
                  />
                  {c.text ? (
                    <Field.Message validation={c.low ? 'warning' : undefined} data-testid={`nameplate-${key}-confidence`}>
                      {c.text}
                    </Field.Message>
                  ) : null}
                </Field>
              );
            })}
          </FieldGrid>
        ) : null}

        <Footer>
          <Actions>
            {s.phase === PlatePhase.boxed || s.phase === PlatePhase.reading ? (
              <>
                <Button
                  size="small"
                  isPrimary
                  disabled={busy}
                  aria-busy={s.phase === PlatePhase.reading}
                  onClick={() => void nameplate.read()}
                  data-testid="nameplate-read"
                >
                  <Button.StartIcon>
                    <ReadTextIcon />
                  </Button.StartIcon>
                  {t('nameplate.readText')}
                </Button>
                <Button size="small" isBasic disabled={busy} onClick={() => nameplate.typeByHand()}>
                  {t('nameplate.typeByHand')}
                </Button>
              </>
            ) : null}
            {showFields ? (
              <>
                <Button
                  size="small"
                  isPrimary
                  disabled={!nameplate.canConfirm}
                  aria-busy={s.phase === PlatePhase.saving}
                  onClick={() => void nameplate.confirm()}
                  data-testid="nameplate-confirm"
                >
                  {t(s.phase === PlatePhase.saving ? 'nameplate.saving' : 'nameplate.confirm')}
                </Button>
                <Button size="small" disabled={busy} onClick={() => nameplate.select()}>
                  {t('nameplate.readAgain')}
                </Button>
              </>
            ) : null}
            {s.phase === PlatePhase.saved ? (
              <Button size="small" isPrimary onClick={() => nameplate.select()} disabled={!s.available}>
                {t('nameplate.readAnother')}
              </Button>
            ) : null}
            <Button size="small" isBasic disabled={s.phase === PlatePhase.saving} onClick={() => nameplate.cancel()}>
              {t(s.phase === PlatePhase.saved ? 'nameplate.close' : 'app.cancel')}
            </Button>
          </Actions>
          {showFields && s.codes.length > 0 ? (
            <Codes aria-label={t('nameplate.codes')} data-testid="nameplate-codes">
              {s.codes.map((code, i) => (
                <li key={i}>
                  <Tag size="small" isPill>
                    {FORMAT_NAME[code.format] ?? code.format}
                  </Tag>{' '}
                  <code>{code.text}</code>
                </li>
              ))}
            </Codes>
          ) : null}
          {showFields && s.text ? (
            <FullText>
              <summary>{t('nameplate.fullText')}</summary>
              <pre data-testid="nameplate-text">{s.text}</pre>
            </FullText>
          ) : null}
        </Footer>
      </Main>
    </Card>
  );
}
