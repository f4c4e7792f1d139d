/** AI and machine-learning APIs: OpenAI, Anthropic, Hugging Face, Replicate, Groq, xAI, Perplexity, LangSmith. */
import type { DetectorEntry } from '../detector.js';
import { ALNUM, entries, ref } from './patterns.js';

const B = '(?<![A-Za-z0-9_-])';
const E = '(?![A-Za-z0-9_-])';

export const aiDetectors: DetectorEntry[] = entries({}, [
  {
    id: 'openai-api-key',
    title: 'OpenAI API key',
    provider: 'openai',
    keywords: ['t3blbkfj'],
    identityKind: 'openai-project',
    pattern: new RegExp(`${B}sk-(?:(?:proj|svcacct|admin|None)-)?[A-Za-z0-9_-]{16,180}T3BlbkFJ[A-Za-z0-9_-]{16,180}${E}`),
    references: ['https://platform.openai.com/docs/api-reference/authentication', ref.gitleaks('openai'), ref.kingfisher('openai')],
    examples: {
      positive: ['OPENAI_API_KEY={gen:fakeOpenAiKey}\n', 'OPENAI_API_KEY=sk-{alnum:20}T3BlbkFJ{alnum:20}\n'],
      negative: ['OPENAI_API_KEY=sk-{alnum:48}\n'],
    },
  },
  {
    id: 'anthropic-api-key',
    title: 'Anthropic API key',
    provider: 'anthropic',
    keywords: ['sk-ant-'],
    identityKind: 'anthropic-workspace',
    pattern: new RegExp(`${B}sk-ant-(?:api|admin|oat|ort)[0-9]{2}-[A-Za-z0-9_-]{80,120}AA${E}`),
    references: ['https://docs.anthropic.com/en/api/overview', ref.gitleaks('anthropic'), ref.kingfisher('anthropic')],
    examples: { positive: ['ANTHROPIC_API_KEY={gen:fakeAnthropicKey}\n'], negative: ['ANTHROPIC_API_KEY=sk-ant-api03-{b64url:40}AA\n'] },
  },
  {
    id: 'huggingface-token',
    title: 'Hugging Face access token',
    provider: 'huggingface',
    prefix: 'hf_',
    body: 'A-Za-z',
    min: 34,
    max: 40,
    minEntropy: 3.5,
    references: [ref.gitleaks('huggingface'), ref.kingfisher('huggingface')],
  },
  {
    id: 'replicate-api-token',
    title: 'Replicate API token',
    provider: 'replicate',
    prefix: 'r8_',
    body: ALNUM,
    min: 37,
    minEntropy: 3.5,
    references: [ref.kingfisher('replicate')],
  },
  { id: 'groq-api-key', title: 'Groq API key', provider: 'groq', prefix: 'gsk_', body: ALNUM, min: 52, references: [ref.kingfisher('groq')] },
  { id: 'xai-api-key', title: 'xAI API key', provider: 'xai', prefix: 'xai-', body: ALNUM, min: 80, references: [ref.kingfisher('xai')] },
  {
    id: 'perplexity-api-key',
    title: 'Perplexity API key',
    provider: 'perplexity',
    prefix: 'pplx-',
    body: ALNUM,
    min: 48,
    references: [ref.gitleaks('perplexity')],
  },
  {
    id: 'langsmith-api-key',
    title: 'LangSmith API key',
    provider: 'langchain',
    keywords: ['lsv2_'],
    pattern: new RegExp(`${B}lsv2_(?:pt|sk)_[0-9a-f]{32}_[0-9a-f]{10}${E}`),
    references: ['https://docs.smith.langchain.com/administration/how_to_guides/organization_management/create_account_api_key'],
    examples: { positive: ['LANGSMITH_API_KEY=lsv2_pt_{hex:32}_{hex:10}\n'], negative: ['LANGSMITH_API_KEY=lsv2_pt_{hex:32}\n'] },
  },
]);
