import { useMemo } from 'react';
import { Button } from '@zendeskgarden/react-buttons';
import { Field, Input } from '@zendeskgarden/react-forms';
import { Dots } from '@zendeskgarden/react-loaders';
import { Alert } from '@zendeskgarden/react-notifications';
import { SM } from '@zendeskgarden/react-typography';
import { CheckIcon } from '../../components/icons';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { useStore } from '../../store/useStore';
import { ReadTextIcon } from '../annotations/icons';
import { LOW_CONFIDENCE, PlatePhase, PlateProblem, type ConsoleNameplate, type PlateField } from './consoleNameplate';
import { PLATE_FIELDS, type PlateFieldKey } from './contract';
import {
  Actions,
  Body,
  Card,
  Codes,
  CropBox,
  CropImage,
  FieldGrid,
  FullText,
  Header,
  Main,
  Note,
  Saved,
  Status,
  Title,
} from './NameplatePanel.styles';

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
  const confidenceOf = (f: PlateField): { text: string; low: boolean } => {
    if (f.edited) return { text: t('nameplate.edited'), low: false };
    if (f.confidence === null) return { text: t('nameplate.notFound'), low: false };
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
            {s.phase === PlatePhase.reading ? (
              <>
                <Dots size="16" aria-hidden="true" />
                {t('nameplate.reading')}
              </>
            ) : null}
            {s.phase === PlatePhase.saving ? (
              <>
                <Dots size="16" aria-hidden="true" />
                {t('nameplate.saving')}
              </>
            ) : null}
          </Status>
        </Header>

        {s.phase === PlatePhase.boxed ? <Note tag="p">{t('nameplate.boxedHint')}</Note> : null}
        {s.phase === PlatePhase.reading && s.loadingEngine ? (
          <Note tag="p" data-testid="nameplate-first-load">
            {t('nameplate.firstLoad')}
          </Note>
        ) : null}
        {s.problem ? (
          <Alert type={s.problem === PlateProblem.save ? 'error' : 'warning'} role="alert" data-testid="nameplate-problem">
            <Alert.Paragraph>{t(PROBLEM_TEXT[s.problem])}</Alert.Paragraph>
          </Alert>
        ) : null}

        {showFields ? (
          <Body>
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
                    />
                    <Field.Message validation={c.low ? 'warning' : undefined} data-testid={`nameplate-${key}-confidence`}>
                      {c.text}
                    </Field.Message>
                  </Field>
                );
              })}
            </FieldGrid>
            {s.codes.length > 0 ? (
              <Codes aria-label={t('nameplate.codes')} data-testid="nameplate-codes">
                <SM tag="span" isBold>
                  {t('nameplate.codes')}
                </SM>
                {s.codes.map((code, i) => (
                  <li key={i}>
                    <SM tag="span" isBold>
                      {FORMAT_NAME[code.format] ?? code.format}
                    </SM>{' '}
                    <code>{code.text}</code>
                  </li>
                ))}
              </Codes>
            ) : null}
            {s.text ? (
              <FullText>
                <summary>
                  <SM tag="span">{t('nameplate.fullText')}</SM>
                </summary>
                <pre data-testid="nameplate-text">{s.text}</pre>
              </FullText>
            ) : null}
          </Body>
        ) : null}

        {s.phase === PlatePhase.saved ? (
          <Saved role="status" data-testid="nameplate-saved">
            <CheckIcon aria-hidden="true" />
            <span>
              <strong>{t('nameplate.saved')}</strong>{' '}
              {PLATE_FIELDS.flatMap((key) => (s.saved?.[key] ? [`${t(FIELD_LABEL[key])}: ${s.saved[key]}`] : [])).join(' · ')}
            </span>
          </Saved>
        ) : null}

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
                {t(s.phase === PlatePhase.reading ? 'nameplate.reading' : 'nameplate.readText')}
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
      </Main>
    </Card>
  );
}
