import { useEffect } from 'react';
import styled from 'styled-components';
import { Button, IconButton, ToggleButton, ToggleIconButton } from '@zendeskgarden/react-buttons';
import { Tooltip } from '@zendeskgarden/react-tooltips';
import { getColor } from '@zendeskgarden/react-theming';
import { SM } from '@zendeskgarden/react-typography';
import { AnnotationTool, MARK_COLORS, MARK_WIDTHS, type MarkColor, type MarkWidth } from '@live-assist/protocol';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { useStore } from '../../store/useStore';
import { visuallyHidden } from '../../theme/visuallyHidden';
import { SnapshotPhase, type ConsoleAnnotations } from './consoleAnnotations';
import {
  ArrowIcon,
  CameraIcon,
  ClearIcon,
  FreehandIcon,
  FreezeIcon,
  PlayIcon,
  PointerIcon,
  ReadTextIcon,
  RectangleIcon,
  UndoIcon,
} from './icons';
import { Action, SHORTCUT_LABEL, TOOL_OF, isTypingTarget, shortcutOf } from './shortcuts';
import { useModelRevision } from './useAnnotations';
import { ToolBarFrame } from '../ToolBarFrame';

const Bar = styled(ToolBarFrame)`
  /* The Freeze label folds into its icon when the bar is narrow (FreezeLabel). */
  container-type: inline-size;
`;

/**
 * In a narrow console (Zendesk's 80vw modal on a 1280 px screen) the Freeze and Read text labels
 * would push the tool bar onto two rows; they fold into their icons there, still read out, and the
 * tooltips name them.
 */
const FoldingLabel = styled.span`
  @container (max-width: 780px) {
    ${visuallyHidden}
  }
`;

const Group = styled.div`
  display: flex;
  align-items: center;
  gap: ${(p) => p.theme.space.xxs};
`;

const Divider = styled.span`
  align-self: stretch;
  margin: ${(p) => p.theme.space.xxs} 0;
  background: ${(p) => getColor({ theme: p.theme, variable: 'border.default' })};
  width: 1px;
`;

const Spacer = styled.span`
  flex: 1;
`;

const Swatch = styled.button<{ $color: string; $checked: boolean }>`
  box-sizing: border-box;
  border: 2px solid ${(p) => (p.$checked ? getColor({ theme: p.theme, variable: 'foreground.default' }) : 'transparent')};
  border-radius: 50%;
  cursor: pointer;
  padding: 2px;
  width: 26px;
  height: 26px;
  background: transparent;

  &::after {
    display: block;
    border-radius: 50%;
    box-shadow: inset 0 0 0 1px rgb(0 0 0 / 35%);
    background: ${(p) => p.$color};
    width: 100%;
    height: 100%;
    content: '';
  }

  &:focus-visible {
    outline: 2px solid ${(p) => getColor({ theme: p.theme, variable: 'border.primaryEmphasis' })};
    outline-offset: 1px;
  }
`;

const WidthButton = styled.button<{ $checked: boolean }>`
  display: grid;
  place-items: center;
  border: 1px solid ${(p) => getColor({ theme: p.theme, variable: p.$checked ? 'border.primaryEmphasis' : 'border.default' })};
  border-radius: ${(p) => p.theme.borderRadii.md};
  cursor: pointer;
  background: ${(p) => (p.$checked ? getColor({ theme: p.theme, variable: 'background.primaryEmphasis', transparency: 0.12 }) : 'transparent')};
  width: 30px;
  height: 30px;
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.default' })};

  &:focus-visible {
    outline: 2px solid ${(p) => getColor({ theme: p.theme, variable: 'border.primaryEmphasis' })};
    outline-offset: 1px;
  }
`;

const Line = styled.span<{ $w: number }>`
  display: block;
  border-radius: 99px;
  background: currentColor;
  width: 16px;
  height: ${(p) => p.$w}px;
`;

const COLOR_NAMES: Record<MarkColor, MessageKey> = {
  '#ff1f1f': 'annotations.color.red',
  '#ffd400': 'annotations.color.yellow',
  '#00e05a': 'annotations.color.green',
  '#00b7ff': 'annotations.color.blue',
  '#ff3df2': 'annotations.color.magenta',
  '#ffffff': 'annotations.color.white',
};
const WIDTH_NAMES: Record<MarkWidth, MessageKey> = {
  3: 'annotations.width.thin',
  6: 'annotations.width.medium',
  10: 'annotations.width.thick',
};
const WIDTH_PX: Record<MarkWidth, number> = { 3: 2, 6: 4, 10: 6 };

const TOOLS = [
  { action: Action.pointer, label: 'annotations.pointer', Icon: PointerIcon },
  { action: Action.rectangle, label: 'annotations.rectangle', Icon: RectangleIcon },
  { action: Action.arrow, label: 'annotations.arrow', Icon: ArrowIcon },
  { action: Action.freehand, label: 'annotations.freehand', Icon: FreehandIcon },
] as const;

/**
 * Read text (console/nameplate) on a frozen still: `active` while the box is being drawn; a drawing
 * tool picked meanwhile `release`s it.
 */
export type ReadTextTool = { active: boolean; toggle(): void; release(): void };

type Props = {
  annotations: ConsoleAnnotations;
  disabled?: boolean;
  /** Present while a still is frozen and the console may read it. */
  readText?: ReadTextTool | null;
};

/** The specialist's Garden tool bar under the video; every control also has a key (see tooltips). */
export function AnnotationToolbar({ annotations, disabled = false, readText = null }: Props) {
  const { t } = useI18n();
  const tools = useStore(annotations.tools);
  useModelRevision(annotations.model);
  const frozen = annotations.frozen;
  const tip = (key: MessageKey, action: Action) => t('annotations.shortcut', { name: t(key), key: SHORTCUT_LABEL[action] });

  useEffect(() => {
    if (disabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.repeat || isTypingTarget(e.target)) return;
      const hit = shortcutOf(e);
      if (!hit) return;
      e.preventDefault();
      if (typeof hit === 'object') {
        annotations.setColor(MARK_COLORS[hit.color]!);
        return;
      }
      const tool = TOOL_OF[hit];
      if (hit === Action.readText) readText?.toggle();
      else if (tool) {
        readText?.release();
        annotations.setTool(tool);
      } else if (hit === Action.freeze) annotations.toggleFreeze();
      else if (hit === Action.undo) annotations.undo();
      else if (hit === Action.clear) annotations.clear();
      else if (hit === Action.snapshot) void annotations.takeSnapshot();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [annotations, disabled, readText]);

  const freezeLabel = frozen ? 'annotations.unfreeze' : 'annotations.freeze';
  return (
    <Bar role="toolbar" aria-label={t('annotations.toolbar')} data-testid="annotation-toolbar">
      <Group>
        {TOOLS.map(({ action, label, Icon }) => (
          <Tooltip key={action} content={tip(label, action)} placement="top">
            <ToggleIconButton
              size="small"
              aria-label={t(label)}
              isPressed={!readText?.active && tools.tool === TOOL_OF[action]}
              disabled={disabled}
              onClick={() => {
                readText?.release();
                annotations.setTool(TOOL_OF[action] ?? AnnotationTool.pointer);
              }}
            >
              <Icon />
            </ToggleIconButton>
          </Tooltip>
        ))}
      </Group>
      <Divider aria-hidden="true" />
      <Group role="radiogroup" aria-label={t('annotations.colors')}>
        {MARK_COLORS.map((color, i) => (
          <Tooltip key={color} content={t('annotations.shortcut', { name: t(COLOR_NAMES[color]), key: String(i + 1) })} placement="top">
            <Swatch
              type="button"
              role="radio"
              aria-checked={tools.color === color}
              aria-label={t(COLOR_NAMES[color])}
              $color={color}
              $checked={tools.color === color}
              disabled={disabled}
              onClick={() => annotations.setColor(color)}
            />
          </Tooltip>
        ))}
      </Group>
      <Divider aria-hidden="true" />
      <Group role="radiogroup" aria-label={t('annotations.width')}>
        {MARK_WIDTHS.map((w) => (
          <Tooltip key={w} content={t(WIDTH_NAMES[w])} placement="top">
            <WidthButton
              type="button"
              role="radio"
              aria-checked={tools.width === w}
              aria-label={t(WIDTH_NAMES[w])}
              $checked={tools.width === w}
              disabled={disabled}
              onClick={() => annotations.setWidth(w)}
            >
              <Line $w={WIDTH_PX[w]} />
            </WidthButton>
          </Tooltip>
        ))}
      </Group>
      <Divider aria-hidden="true" />
      <Group>
        <Tooltip content={tip('annotations.undo', Action.undo)} placement="top">
          <IconButton size="small" aria-label={t('annotations.undo')} disabled={disabled} onClick={() => annotations.undo()}>
            <UndoIcon />
          </IconButton>
        </Tooltip>
        <Tooltip content={tip('annotations.clear', Action.clear)} placement="top">
          <IconButton size="small" aria-label={t('annotations.clear')} disabled={disabled} onClick={() => annotations.clear()}>
            <ClearIcon />
          </IconButton>
        </Tooltip>
      </Group>
      <Spacer />
      {tools.snapshot === SnapshotPhase.failed ? (
        <SM tag="span" role="alert">
          {t('annotations.snapshotFailed')}
        </SM>
      ) : null}
      <Group>
        {readText ? (
          <Tooltip content={tip('nameplate.readText', Action.readText)} placement="top">
            <ToggleButton
              size="small"
              isPressed={readText.active}
              disabled={disabled}
              onClick={() => readText.toggle()}
              data-testid="read-text-tool"
            >
              <Button.StartIcon>
                <ReadTextIcon />
              </Button.StartIcon>
              <FoldingLabel>{t('nameplate.readText')}</FoldingLabel>
            </ToggleButton>
          </Tooltip>
        ) : null}
        <Tooltip content={tip(freezeLabel, Action.freeze)} placement="top">
          <Button size="small" isPrimary={frozen} disabled={disabled} onClick={() => annotations.toggleFreeze()}>
            <Button.StartIcon>{frozen ? <PlayIcon /> : <FreezeIcon />}</Button.StartIcon>
            <FoldingLabel>{t(freezeLabel)}</FoldingLabel>
          </Button>
        </Tooltip>
        <Tooltip content={tip('annotations.snapshot', Action.snapshot)} placement="top">
          <IconButton
            size="small"
            isPill={false}
            aria-label={t('annotations.snapshot')}
            aria-busy={tools.snapshot === SnapshotPhase.working}
            disabled={disabled || tools.snapshot === SnapshotPhase.working}
            onClick={() => void annotations.takeSnapshot()}
          >
            <CameraIcon />
          </IconButton>
        </Tooltip>
      </Group>
    </Bar>
  );
}
