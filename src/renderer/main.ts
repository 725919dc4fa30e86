import { mount } from 'svelte';
import App from './App.svelte';
// Before the first paint: the colours of the chosen (or the system's) theme.
import './lib/theme.svelte.ts';
import './styles.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
mount(App, { target });
